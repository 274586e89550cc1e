using System.Globalization;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// Witness entries are named by tree size, zero-padded to 20 digits (every long fits), so a plain
/// listing sorts in tree order and the latest is the last name.
/// </summary>
public static class CheckpointFileName
{
    public const int Digits = 20;

    public static string For(long size) => size.ToString(new string('0', Digits), CultureInfo.InvariantCulture);

    public static bool TryParse(string name, out long size)
    {
        size = 0;
        return name.Length == Digits && name.All(char.IsAsciiDigit)
            && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
