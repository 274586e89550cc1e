namespace ReferralExchange.Core.Privacy;

/// <summary>
/// What is asked: one recipient organisation wants data about one patient, for one purpose, now.
/// <see cref="Classes"/> and <see cref="SensitivityLabels"/> describe the resource as a whole (all
/// must be covered, or nothing is disclosed); <see cref="ElementClasses"/> and
/// <see cref="ElementLabels"/> describe parts of it (what is not covered is redacted).
/// </summary>
public sealed record DataRequest(
    string PatientId,
    string RecipientId,
    string Purpose,
    IReadOnlyCollection<string> Classes,
    IReadOnlyCollection<string> SensitivityLabels,
    DateTimeOffset Now)
{
    public IReadOnlyCollection<string> ElementClasses { get; init; } = [];
    public IReadOnlyCollection<string> ElementLabels { get; init; } = [];
}
