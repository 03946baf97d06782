using System.IO.Compression;
using LeadScore.Server.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LeadScore.Server.Features.Sources;

/// <summary>
/// Reads a body the way the Segment and RudderStack clients send it: JSON, often gzip-compressed
/// (RudderStack's Node client compresses and labels it <c>application/x-www-form-urlencoded</c>), so
/// the content type is not trusted and the gzip header is recognised by its bytes. The limit holds
/// for the bytes on the wire and again for the decompressed JSON, so a small gzip bomb is refused too.
/// </summary>
internal static class SegmentBody
{
    /// <summary>The body's bytes (decompressed), or the problem that answers the request instead (400, 413).</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        byte[] wire;
        try
        {
            wire = await ReadUpToAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }

        if (wire.Length > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            || (wire.Length >= 2 && wire[0] == 0x1f && wire[1] == 0x8b);
        if (!gzip)
        {
            return (wire, null);
        }

        try
        {
            await using var unzip = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
            var json = await ReadUpToAsync(unzip, maxBytes, cancellationToken);
            return json.Length > maxBytes ? (null, TooLarge(maxBytes)) : (json, null);
        }
        catch (InvalidDataException)
        {
            return (null, Problems.BadRequest("The body says it is gzip-compressed but does not decompress; send JSON, or gzip of JSON with 'Content-Encoding: gzip'.", "malformed-gzip"));
        }
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> + 1 bytes: one more than allowed is enough to know it is too large.</summary>
    private static async Task<byte[]> ReadUpToAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= maxBytes && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult TooLarge(int maxBytes) =>
        Problems.TooLarge($"The body is larger than {maxBytes:N0} bytes (Segment's limit for this endpoint, uncompressed); send fewer messages per batch.");
}
