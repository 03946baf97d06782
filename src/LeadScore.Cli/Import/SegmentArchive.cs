using System.IO.Compression;
using System.Text.Json;
using LeadScore.Storage.Sources;

namespace LeadScore.Cli.Import;

/// <summary>
/// A Segment or RudderStack archive as their warehouse and S3 destinations write it: JSON Lines, one
/// message a line, plain or gzip (by the file's magic bytes, whatever its name). A line may also be a
/// <c>{"batch": [...], "context", "sentAt"}</c> request, as a proxy or a capture logs it: its items share
/// the line. Every message comes back with its line, read or refused with why.
/// </summary>
internal sealed class SegmentArchive : IDisposable
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];

    private readonly FileStream _file;
    private readonly TimeProvider _clock;

    public SegmentArchive(string path, TimeProvider clock)
    {
        _file = File.OpenRead(path);
        _clock = clock;
        Span<byte> head = stackalloc byte[2];
        IsGzip = _file.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && head.SequenceEqual(GzipMagic);
        _file.Position = 0;
    }

    public bool IsGzip { get; }

    /// <summary>How far through the file the reading is, in bytes of the file as stored (compressed or not), for the progress bar.</summary>
    public long BytesRead => _file.Position;

    public long Length => _file.Length;

    /// <summary>
    /// Each message of the file, or why it cannot be one. Either way its <c>Index</c> is its line (from 1),
    /// so that the store's refusals of the messages name their lines too.
    /// </summary>
    public IEnumerable<(SourceMessage? Message, RefusedMessage? Refused)> Read()
    {
        using var text = new StreamReader(IsGzip ? new GZipStream(_file, CompressionMode.Decompress, leaveOpen: true) : _file, leaveOpen: true);
        var line = 0;
        while (text.ReadLine() is { } content)
        {
            line++;
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            foreach (var read in ReadLine(content, line))
            {
                yield return read;
            }
        }
    }

    public void Dispose() => _file.Dispose();

    private List<(SourceMessage? Message, RefusedMessage? Refused)> ReadLine(string content, int line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            return [(null, new RefusedMessage(line, null, $"not JSON ({ex.Message})"))];
        }

        using (document)
        {
            var root = document.RootElement;
            // A message's receivedAt is when Segment got it: the time its clock correction is relative to, not this import's.
            var receivedAt = SegmentSpec.TimeOf(root, "receivedAt") ?? _clock.GetUtcNow();
            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("type", out _)
                && root.TryGetProperty("batch", out var batch) && batch.ValueKind == JsonValueKind.Array)
            {
                var shared = root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object ? context : (JsonElement?)null;
                var envelope = new SegmentEnvelope(receivedAt, shared, SegmentSpec.TimeOf(root, "sentAt"));
                var items = new List<(SourceMessage?, RefusedMessage?)>();
                var position = 0;
                foreach (var item in batch.EnumerateArray())
                {
                    var itemReceivedAt = SegmentSpec.TimeOf(item, "receivedAt");
                    items.Add(SegmentSpec.Read(item, line, $"$.batch[{position++}]", null, itemReceivedAt is { } at ? envelope with { ReceivedAt = at } : envelope));
                }

                return items;
            }

            return [SegmentSpec.Read(root, line, "$", null, new SegmentEnvelope(receivedAt))];
        }
    }
}
