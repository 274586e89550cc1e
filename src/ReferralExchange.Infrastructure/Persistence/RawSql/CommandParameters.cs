using System.Data.Common;

namespace ReferralExchange.Infrastructure.Persistence.RawSql;

/// <summary>Named parameters for the hand-written statements, the same on every provider (a null is <see cref="DBNull"/>).</summary>
internal static class CommandParameters
{
    public static void AddNamed(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
