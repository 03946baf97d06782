using System.Text;
using System.Text.Json;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// Makes request bodies from a valid one: some values (or names) replaced by values JSON allows but
/// nothing can store (<c>1e400</c>, lone surrogates escaped and raw, bytes that are not UTF-8, NUL,
/// deep nesting, wrong types), the bytes themselves flipped, cut or shuffled, or random bytes. Seeded,
/// so a failing case repeats; the values of the <c>keep</c> names are never touched, so a test can
/// still find the item a body was about.
/// </summary>
internal sealed class BodyFuzzer(int seed)
{
    private static readonly byte[][] Nasty =
    [
        .. new[]
        {
            "1e400", "-1e400", "1E+400", "-1.7976931348623157e309", "123456789012345678901234567890123456789e300", new string('9', 400),
            "1e308", "0", "-0", "1e-400", "0.1", "-12.5",
            "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"", "\"\\ud800\\u0041\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"a\\u0000\"",
            "\"\\ud83d\\ude00\"", "\"\u00e9t\u00e9\"", "\"\"", "\"  \"", $"\"{new string('x', 5000)}\"", $"\"{new string('y', 300)}\"",
            "\"2026-11-01T10:00:00Z\"", "\"not a date\"", "\"true\"", "\"1e400\"",
            "true", "false", "null", "[]", "{}", "[1e400]", "{\"a\": \"\\ud800\"}", "{\"a\": {\"b\": 1}}", "[\"x\", 1]",
            string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)),
            string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20),
        }.Select(Encoding.UTF8.GetBytes),
        Quoted(0xFF), Quoted(0xC3), Quoted(0xED, 0xA0, 0x80), Quoted(0xED, 0xBF, 0xBF), Quoted(0xF4, 0x90, 0x80, 0x80),
        Quoted(0xC0, 0x80), Quoted(0xE2, 0x82), Quoted(0xF0, 0x9F, 0x98), Quoted((byte)'a', 0x80, (byte)'b'),
    ];

    private readonly Random _random = new(seed);

    /// <summary>A body made from <paramref name="valid"/>; <see cref="FuzzedBody.KeptIntact"/> says whether the kept values are as they were.</summary>
    public FuzzedBody Next(string valid, params string[] keep)
    {
        var bytes = Encoding.UTF8.GetBytes(valid);
        var roll = _random.NextDouble();
        if (roll < 0.65)
        {
            var body = bytes;
            for (var i = _random.Next(1, 4); i > 0; i--)
            {
                body = ReplaceValue(body, keep);
            }

            return new FuzzedBody(body, KeptIntact: true);
        }

        if (roll < 0.85)
        {
            return new FuzzedBody(MutateBytes(bytes), KeptIntact: false);
        }

        if (roll < 0.93)
        {
            return new FuzzedBody(Pick(Nasty), KeptIntact: false);
        }

        var noise = new byte[_random.Next(0, 200)];
        _random.NextBytes(noise);
        return new FuzzedBody(noise, KeptIntact: false);
    }

    private static byte[] Quoted(params byte[] inner) => [(byte)'"', .. inner, (byte)'"'];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Replaces one value (or one property name, by a string) that is not under a kept name.</summary>
    private byte[] ReplaceValue(byte[] body, string[] keep)
    {
        var spots = Spots(body, keep);
        if (spots.Count == 0)
        {
            return body;
        }

        var (start, length, isName) = Pick(spots);
        var replacement = Pick(Nasty);
        if (isName && replacement[0] != (byte)'"')
        {
            replacement = Quoted(0xED, 0xA0, 0x80);
        }

        return [.. body.AsSpan(0, start), .. replacement, .. body.AsSpan(start + length)];
    }

    /// <summary>Where each scalar value and property name is in <paramref name="body"/> (which must be valid JSON), leaving out those under a kept name.</summary>
    private static List<(int Start, int Length, bool IsName)> Spots(byte[] body, string[] keep)
    {
        var spots = new List<(int, int, bool)>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        string? lastName = null;
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        lastName = reader.GetString();
                        if (!keep.Contains(lastName))
                        {
                            spots.Add((start, reader.ValueSpan.Length + 2, true));
                        }

                        break;
                    case JsonTokenType.String when !keep.Contains(lastName):
                        spots.Add((start, reader.ValueSpan.Length + 2, false));
                        break;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null when !keep.Contains(lastName):
                        spots.Add((start, reader.ValueSpan.Length, false));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A body already made invalid by an earlier replacement: what was found so far will do.
        }
        catch (InvalidOperationException)
        {
            // A property name an earlier replacement made unreadable: as above.
        }

        return spots;
    }

    private byte[] MutateBytes(byte[] bytes)
    {
        var body = new List<byte>(bytes);
        for (var i = _random.Next(1, 4); i > 0 && body.Count > 0; i--)
        {
            var at = _random.Next(body.Count);
            switch (_random.Next(5))
            {
                case 0:
                    body[at] = (byte)_random.Next(256);
                    break;
                case 1:
                    body.Insert(at, Pick<byte>([0x00, 0xFF, 0xC3, 0xED, 0x80, (byte)'"', (byte)'\\', (byte)'{', (byte)'[', (byte)',']));
                    break;
                case 2:
                    body.RemoveAt(at);
                    break;
                case 3:
                    body.RemoveRange(at, body.Count - at);
                    break;
                default:
                    body.InsertRange(at, Pick(Nasty));
                    break;
            }
        }

        return [.. body];
    }
}

/// <summary>A fuzzed body, and whether the values the fuzzer was told to keep are still as they were.</summary>
internal sealed record FuzzedBody(byte[] Bytes, bool KeptIntact);
