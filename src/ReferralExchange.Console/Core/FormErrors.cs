using Microsoft.AspNetCore.Mvc.ModelBinding;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.WebConsole.Core;

/// <summary>
/// The API's OperationOutcome issues, shown next to the field they name (issue 16 must-hold 5): the
/// same validator answers both, so the rule and its message are the API's. An issue whose
/// expression names no field of the form goes to the top of the form.
/// </summary>
public static class FormErrors
{
    public static void Add(ModelStateDictionary state, GatewayException error, IReadOnlyDictionary<string, string>? fieldOf = null)
    {
        foreach (var issue in error.Issues)
        {
            var field = issue.Expression is { } expression ? FieldFor(expression, fieldOf) : null;
            state.AddModelError(field ?? string.Empty, issue.Message);
        }
    }

    private static string? FieldFor(string expression, IReadOnlyDictionary<string, string>? fieldOf)
    {
        if (fieldOf is null) return null;
        // Longest prefix first: "person.birthDate" before "person".
        foreach (var (prefix, field) in fieldOf.OrderByDescending(p => p.Key.Length))
        {
            if (expression.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return field;
        }
        return null;
    }
}
