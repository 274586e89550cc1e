using System.Text.Json;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// An OpenIddict validation handler, run just before OpenIddict's own proof-of-possession check:
/// every access token this gateway issues is certificate-bound (RFC 8705 §3), so a token without a
/// well-formed <c>cnf</c> carrying <c>x5t#S256</c> is refused as <c>invalid_token</c>. OpenIddict
/// alone accepts a token without <c>cnf</c> as a bearer token, and fails with an exception (a 500)
/// on a <c>cnf</c> without a thumbprint.
/// </summary>
public static class RequireCertificateBinding
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseInlineHandler(Handle)
        .SetOrder(OpenIddictValidationHandlers.Protection.ValidateProofOfPossession.Descriptor.Order - 1)
        .SetType(OpenIddictValidationHandlerType.Custom)
        .Build();

    private static ValueTask Handle(ValidateTokenContext context)
    {
        if (context.Principal is { } principal && !IsBound(principal.GetClaim(OpenIddictConstants.Claims.Confirmation)))
        {
            context.Reject(
                error: OpenIddictConstants.Errors.InvalidToken,
                description: "The access token is not bound to a client certificate (cnf.x5t#S256).");
        }
        return ValueTask.CompletedTask;
    }

    private static bool IsBound(string? confirmation)
    {
        if (string.IsNullOrEmpty(confirmation))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(confirmation);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("x5t#S256", out var thumbprint)
                && thumbprint.ValueKind == JsonValueKind.String && thumbprint.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
