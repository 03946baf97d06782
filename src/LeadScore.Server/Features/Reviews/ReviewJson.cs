using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LeadScore.Engine.Review;

namespace LeadScore.Server.Features.Reviews;

/// <summary>
/// The JSON of a review and of a backtest, as the API returns them, the store keeps them and
/// <c>leadscore review --format json</c> prints them: camelCase, enums as words, and the proposed
/// model as a JSON object (ready to save as a draft), not a string.
/// </summary>
public static class ReviewJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static JsonObject ToNode(ModelReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var node = new JsonObject
        {
            ["report"] = JsonSerializer.SerializeToNode(review.Report, Options),
            ["proposalRefused"] = review.ProposalRefused,
            ["warnings"] = JsonSerializer.SerializeToNode(review.Warnings, Options),
            ["leakyFields"] = JsonSerializer.SerializeToNode(review.LeakyFields, Options),
            ["validation"] = review.Validation is { } validation ? JsonSerializer.SerializeToNode(validation, Options) : null,
            ["windowSuggestions"] = JsonSerializer.SerializeToNode(review.WindowSuggestions, Options),
            ["unconfirmed"] = review.Unconfirmed is { } unconfirmed ? ToNode(unconfirmed) : null,
        };
        node["proposal"] = review.Proposal is { } proposal ? ToNode(proposal) : null;
        return node;
    }

    private static JsonObject ToNode(ModelProposal proposal) => new()
    {
        ["changesAnything"] = proposal.ChangesAnything,
        ["changes"] = new JsonArray([.. proposal.Changes.Select(c => (JsonNode?)new JsonObject
        {
            ["kind"] = JsonNamingPolicy.CamelCase.ConvertName(c.Kind.ToString()),
            ["subject"] = c.Subject,
            ["before"] = c.Before,
            ["after"] = c.After,
            ["why"] = c.Why,
            ["text"] = c.Describe(),
        })]),
        ["warnings"] = JsonSerializer.SerializeToNode(proposal.Warnings, Options),
        ["backtest"] = ToNode(proposal.Backtest),
        ["model"] = JsonNode.Parse(proposal.Json),
    };

    public static JsonNode ToNode(BacktestReport backtest) => JsonSerializer.SerializeToNode(backtest, Options)!;

    public static string Write(ModelReview review) => ToNode(review).ToJsonString(Options);

    public static string Write(BacktestReport backtest) => ToNode(backtest).ToJsonString(Options);
}
