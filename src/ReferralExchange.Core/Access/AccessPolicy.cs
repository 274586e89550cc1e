using ReferralExchange.Core.Tasks;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Access;

/// <summary>
/// Who may see what, before consent is even asked: the referral source and the receiving partner
/// see their referral; while a referral is open, the partners that may claim it see its Task and
/// ServiceRequest only (enough to decide), not the person's record. Everyone else sees nothing,
/// and is told "not found", exactly as for a record that does not exist.
/// </summary>
public static class AccessPolicy
{
    private static readonly HashSet<string> OpenReferralTypes = ["Task", "ServiceRequest"];

    public static bool CanSee(Partner caller, string resourceType, ReferralAccess? access)
    {
        if (!caller.IsActive)
        {
            return false;
        }
        if (access is null)
        {
            // Only directory data (partner Organizations) lives outside a referral.
            return resourceType == "Organization";
        }
        if (caller.Id == access.RequesterId || caller.Id == access.RecipientId)
        {
            return true;
        }
        return access.RecipientId is null
            && access.Candidates.Contains(caller.Id)
            && OpenReferralTypes.Contains(resourceType);
    }

    public static TaskRole RoleOn(Partner caller, ReferralAccess access)
    {
        var role = TaskRole.None;
        if (caller.Id == access.RecipientId) role |= TaskRole.Owner;
        if (caller.Id == access.RequesterId) role |= TaskRole.Requester;
        return role;
    }
}
