using System.Net.Http.Headers;
using LeadScore.Client;
using LeadScore.Client.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

// A user's first steps through the client Kiota generated from /openapi/v1.json, with its typed models
// only: upsert a contact, post an event, read the ranked leads and the lead's explanation. Arguments:
// the server's address, an API key with the write scope, and a published contact model's key.
// Prints one line per step; any mismatch exits with 1 and says which.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: LeadScore.GeneratedClient <server address> <api key> <model key>");
    return 2;
}

var (address, key, model) = (args[0].TrimEnd('/'), args[1], args[2]);

// Kiota's API-key provider refuses plain http, and the server under test listens on loopback http:
// the key goes as a default header of the HttpClient instead.
using var http = new HttpClient();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
var client = new LeadScoreClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = address });

var contact = await client.Api.V1.Contacts["typed-1"].PutAsync(new ContactBody
{
    Email = "ana@example.com",
    JobTitle = "VP",
    AdditionalData = new Dictionary<string, object> { ["employees"] = 250 },
});
Expect(contact?.Id == "typed-1" && contact.Kind == RecordKind.Contact, $"the upserted contact is typed-1 (got {contact?.Id}, {contact?.Kind})");
Console.WriteLine($"contact {contact!.Id} updated at {contact.UpdatedAt:O}");

var ingest = await client.Api.V1.Events.PostAsync(new EventBody
{
    Id = "typed-e-1",
    Contact = "typed-1",
    Type = "demo_requested",
    OccurredAt = DateTimeOffset.UtcNow.AddHours(-1),
});
Expect(ingest?.Accepted == 1 && ingest.Duplicates == 0, $"the event is accepted once (got accepted {ingest?.Accepted}, duplicates {ingest?.Duplicates})");
Console.WriteLine($"event accepted: {ingest!.Accepted}");

var leads = await client.Api.V1.Leads.GetAsync(request =>
{
    request.QueryParameters.Model = model;
    request.QueryParameters.Limit = 10;
});
var lead = leads?.Items?.FirstOrDefault(l => l.RecordId == "typed-1");
Expect(lead is not null, $"typed-1 is among the leads ({string.Join(", ", leads?.Items?.Select(l => l.RecordId) ?? [])})");
Console.WriteLine($"lead {lead!.RecordId}: score {lead.Score}, points {lead.Points}, grade {lead.Grade}, qualified {lead.Qualified}, thresholds [{string.Join(",", lead.Thresholds ?? [])}]");

var scores = await client.Api.V1.Contacts["typed-1"].Scores.GetAsync();
var explanation = scores?.Scores?.SingleOrDefault(s => s.Model == model)?.Explanation;
Expect(explanation?.Rules is { Count: > 0 }, "the lead's score is explained rule by rule");
Expect(explanation!.Contact == "typed-1" && explanation.Points == lead.Points, $"the explanation is the lead's (contact {explanation.Contact}, points {explanation.Points})");
foreach (var rule in explanation.Rules!)
{
    Console.WriteLine($"rule {rule.Rule}: {rule.Points} points{(rule.Events is { } events ? $" from {events} event(s)" : "")}");
}

Console.WriteLine("workflow: ok");
return 0;

static void Expect(bool holds, string what)
{
    if (!holds)
    {
        Console.Error.WriteLine($"workflow: FAILED: {what}");
        Environment.Exit(1);
    }
}
