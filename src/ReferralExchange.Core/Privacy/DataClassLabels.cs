namespace ReferralExchange.Core.Privacy;

/// <summary>Which sensitivity labels (v3-ActCode) each consent data class stands for; read from the labelling rules.</summary>
public static class DataClassLabels
{
    public static IEnumerable<string> LabelsOf(string dataClass) => LabelingRules.Default.LabelsOfClass(dataClass);
}
