using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>One Firely validator for the whole test run: its warm-up costs seconds of CPU.</summary>
public static class SharedValidator
{
    private static readonly Lazy<ProfileValidator> Instance =
        new(() => ProfileValidator.ForProfiles(ProfilePackage.Locate(AppContext.BaseDirectory)));

    public static ProfileValidator Get => Instance.Value;
}
