using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ReferralExchange.Core.Errors;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// Reads a request body after checking its media type (415) and size (413). The limit is the
/// endpoint's (<see cref="BodyLimit"/>); it is also handed to Kestrel for this request, so a chunked
/// body that says nothing up front is cut off at the limit, not after it was buffered.
/// </summary>
public sealed class RequestBodyReader(IOptions<GatewayOptions> options)
{
    public static readonly string[] FhirJson = ["application/fhir+json", "application/json+fhir", "application/json"];
    public static readonly string[] PlainJson = ["application/json"];

    public async Task<string> ReadAsync(HttpRequest request, IReadOnlyCollection<string> mediaTypes, CancellationToken ct)
    {
        var contentType = request.ContentType;
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !mediaTypes.Contains(mediaType))
        {
            throw new GatewayException(ErrorKind.UnsupportedMediaType, "not-supported",
                $"Content-Type must be one of: {string.Join(", ", mediaTypes)}", "Content-Type");
        }
        if (contentType!.Contains("charset", StringComparison.OrdinalIgnoreCase)
            && !contentType.Contains("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayException(ErrorKind.UnsupportedMediaType, "not-supported", "Only UTF-8 bodies are accepted", "Content-Type");
        }

        var limit = (request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>() ?? new BodyLimit(BodyKind.Submission)).BytesFor(options.Value);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = limit;
        }
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            throw GatewayException.BadRequest("The request body is empty");
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw GatewayException.BadRequest("The request body is not valid UTF-8");
        }
    }

    private static GatewayException TooLarge(long limit) =>
        new(ErrorKind.PayloadTooLarge, "too-long", $"The request body is larger than the {limit} bytes this gateway accepts");
}
