using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// Wraps the SDK's element validator for one parse: counts what it reports and stops the parse
/// once the budget is spent (the SDK would otherwise build every one of 80,000 issues, 0.5–2 s
/// for an 81 KB body). It also turns the validator's own throws into issues: a <c>contained</c>
/// that is not an array makes the SDK throw from inside its invariant check (issue 13 §3).
/// </summary>
internal sealed class IssueBudgetValidator(IPocoValidator inner, int budget) : IPocoValidator
{
    private readonly List<CodedValidationException> _found = [];

    /// <summary>What the validator reported before the budget ran out, with paths.</summary>
    public IReadOnlyList<CodedValidationException> Found => _found;

    public IReadOnlyCollection<CodedValidationException> ValidateProperty(string propertyName, object? value, PropertyMapping? mapping, PocoValidationContext context) =>
        Count(() => inner.ValidateProperty(propertyName, value, mapping, context), context);

    public IReadOnlyCollection<CodedValidationException> ValidateObject(Base instance, ClassMapping mapping, PocoValidationContext context) =>
        Count(() => inner.ValidateObject(instance, mapping, context), context);

    private IReadOnlyCollection<CodedValidationException> Count(Func<IReadOnlyCollection<CodedValidationException>> validate, PocoValidationContext context)
    {
        IReadOnlyCollection<CodedValidationException> reported;
        try
        {
            reported = validate();
        }
        catch (CodedValidationException thrown)
        {
            reported = [WithPath(thrown, context)];
        }
        foreach (var issue in reported)
        {
            _found.Add(string.IsNullOrEmpty(issue.InstancePath) ? WithPath(issue, context) : issue);
        }
        if (_found.Count > budget)
        {
            throw new IssueBudgetSpentException();
        }
        return reported;
    }

    private static CodedValidationException WithPath(CodedValidationException e, PocoValidationContext context) =>
        new(e.ErrorCode, e.BaseErrorMessage, e.Display ?? e.BaseErrorMessage, context.PathProducer?.Invoke(), e.LineNumber, e.Position, e.IssueSeverity, e.IssueType, e.MemberName);
}

/// <summary>Thrown by <see cref="IssueBudgetValidator"/> to end a parse that has found enough.</summary>
internal sealed class IssueBudgetSpentException : Exception;
