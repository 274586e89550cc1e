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

    [Fact]
    public async System.Threading.Tasks.Task ValidateAsync_AfterTheBuildFailed_AnswersUnavailableAndFreesItsSlot()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rx-no-profiles-" + Guid.NewGuid().ToString("N"));
        var (validator, _) = ProfileValidator.StartForProfiles(missing, () => []);

        // Called at once: this is the wait for a warm-up still running, or just ended, that fails.
        var refusal = await Assert.ThrowsAsync<GatewayException>(() => validator.ValidateAsync([new Patient()], CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, refusal.Kind);
        Assert.Equal(0, validator.Gate.Running);
    }
}
