using Hl7.Fhir.Model;
using ReferralExchange.Core.Profiles;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>The CapabilityStatement from <c>profiles/</c>, stamped with this instance's details once at start-up.</summary>
public sealed class CapabilityStatementProvider
{
    public CapabilityStatementProvider(ProfilePackage package, TimeProvider time)
    {
        var statement = (CapabilityStatement?)package.CapabilityStatement?.DeepCopy()
            ?? throw new InvalidOperationException("profiles/ holds no CapabilityStatement");
        statement.Date = time.GetUtcNow().ToString("yyyy-MM-dd");
        Current = statement;
    }

    public CapabilityStatement Current { get; }
}
