using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Referrals;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Referrals;

/// <summary>
/// A police social worker's new referral: the native referral the API takes (docs/native-referral.md),
/// checked by the same validator, so the messages next to the fields are the API's OperationOutcome issues.
/// </summary>
public sealed class NewModel(GatewayCore core, PersonCaller callers) : PageModel
{
    public static readonly string[] Categories = ["mental-health", "substance-use", "housing-instability", "homelessness", "veteran-status", "domestic-violence"];
    public static readonly string[] DataClasses = ["demographics", "contact", "referral", "mental-health", "substance-use", "housing", "veteran", "domestic-violence", "hiv", "outcome"];
    public static readonly string[] Purposes = ["TREAT", "CAREMGT", "ETREAT", "HPAYMT", "HOPERAT"];

    /// <summary>Where each issue's expression lands on this form.</summary>
    private static readonly Dictionary<string, string> FieldOf = new()
    {
        ["referralId"] = nameof(ReferralForm.CaseReference),
        ["person.personId"] = nameof(ReferralForm.PersonId),
        ["person.givenNames"] = nameof(ReferralForm.GivenName),
        ["person.familyName"] = nameof(ReferralForm.FamilyName),
        ["person.birthDate"] = nameof(ReferralForm.BirthDate),
        ["person.gender"] = nameof(ReferralForm.Gender),
        ["person.phone"] = nameof(ReferralForm.Phone),
        ["person"] = nameof(ReferralForm.FamilyName),
        ["needs"] = nameof(ReferralForm.Needs),
        ["urgency"] = nameof(ReferralForm.Urgency),
        ["safeContactInstructions"] = nameof(ReferralForm.SafeContactInstructions),
        ["recipient"] = nameof(ReferralForm.Recipient),
        ["consent.recipients"] = nameof(ReferralForm.ConsentRecipients),
        ["consent.purposes"] = nameof(ReferralForm.ConsentPurposes),
        ["consent.dataClasses"] = nameof(ReferralForm.ConsentDataClasses),
        ["consent.expiresOn"] = nameof(ReferralForm.ConsentExpiresOn),
        ["consent.formReference"] = nameof(ReferralForm.ConsentFormReference),
        ["consent.irrevocableUntil"] = nameof(ReferralForm.ConsentIrrevocableUntil),
        ["consent"] = nameof(ReferralForm.ConsentRecipients),
    };

    [BindProperty]
    public ReferralForm Form { get; set; } = new();

    public IReadOnlyList<Partner> Recipients { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var caller = await callers.ForAsync(HttpContext);
        await LoadAsync();
        try
        {
            var result = await core.RunAsync(services => services.GetRequiredService<ReferralSubmissionService>()
                .SubmitNativeAsync(caller, Form.ToNative(caller.PersonName), null, "https://console.invalid", HttpContext.RequestAborted));
            return Redirect($"/Referrals/{result.TaskLocation["Task/".Length..]}?created=1");
        }
        catch (GatewayException refused) when (refused.Kind is ErrorKind.Unprocessable or ErrorKind.BadRequest or ErrorKind.Conflict)
        {
            FormErrors.Add(ModelState, refused, FieldOf.ToDictionary(kv => kv.Key, kv => $"{nameof(Form)}.{kv.Value}"));
            return Page();
        }
    }

    private async Task LoadAsync() =>
        Recipients = (await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().ListAsync(HttpContext.RequestAborted)))
            .Where(p => p.IsActive && p.Kind is not (PartnerKind.Operator or PartnerKind.PoliceSocialWork)).ToList();
}
