using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>ADR 0026: a validator built and warmed in the background, and what validations meet when that failed.</summary>
public sealed class ProfileValidatorWarmUpTests
{
    [Fact]
    public async System.Threading.Tasks.Task Validate_AfterTheBuildFailed_AnswersUnavailableNotAnUnhandledError()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rx-no-profiles-" + Guid.NewGuid().ToString("N"));
        var (validator, ready) = ProfileValidator.StartForProfiles(missing, () => []);

        await Assert.ThrowsAnyAsync<Exception>(() => ready);
        var refusal = Assert.Throws<GatewayException>(() => validator.Validate(new Patient()));
        Assert.Equal(ErrorKind.Unavailable, refusal.Kind);
    }
}
