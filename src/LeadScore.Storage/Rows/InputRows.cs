using System.Globalization;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Rows;

/// <summary>
/// Turns rows into the store's inputs, the same way for an imported file and an API batch, so a
/// record means the same whichever way it came in. Each reader returns the input or the reason
/// (with the CSV column at fault) it cannot be one.
/// </summary>
public static class InputRows
{
    /// <summary>The column that links a contact to its company; not a field.</summary>
    public const string CompanyLink = "companyId";

    public static RowReading<ContactInput> Contact(SourceRow row) =>
        Map(RecordRow.Read(row, "contact", CompanyLink), r => new ContactInput(r.Id, r.Fields, r.Link(CompanyLink)));

    public static RowReading<CompanyInput> Company(SourceRow row) =>
        Map(RecordRow.Read(row, "company"), r => new CompanyInput(r.Id, r.Fields));

    public static RowReading<EventInput> Event(SourceRow row) =>
        Map(EventRow.Read(row), e => new EventInput(e.Event.Id, e.Contact, e.Email, e.Event.Type, e.Event.OccurredAt, e.Event.Properties));

    public static RowReading<DealInput> Deal(SourceRow row)
    {
        var reading = RecordRow.Read(row, "deal", "contactId", "companyId");
        if (reading.Item is not { } deal)
        {
            return RowReading<DealInput>.Rejected(reading.Problem!, reading.Column);
        }

        if (deal.Fields.TryGetValue("amount", out var amount) && !amount.HasNumber)
        {
            return RowReading<DealInput>.Rejected($"amount '{amount.Text}' is not a number such as 12500.50", row.Find("amount")!.Column);
        }

        if (deal.Fields.TryGetValue("expectedCloseDate", out var close) && !close.HasDate)
        {
            return RowReading<DealInput>.Rejected(
                $"expectedCloseDate '{close.Text}' is not an ISO 8601 date such as 2026-12-31", row.Find("expectedCloseDate")!.Column);
        }

        return RowReading<DealInput>.Of(new DealInput(deal.Id, deal.Link("contactId"), deal.Link("companyId"), deal.Fields));
    }

    public static RowReading<OutcomeInput> Outcome(SourceRow row)
    {
        var record = row.Find("record");
        var kind = record is { Value.IsMissing: false } ? record.Value.Text.ToLowerInvariant() : "contact";
        if (kind is not ("contact" or "deal"))
        {
            return RowReading<OutcomeInput>.Rejected($"record '{record!.Value.Text}' must be contact or deal", record.Column);
        }

        var id = row.Find("id");
        if (id is not { Value.IsMissing: false })
        {
            return RowReading<OutcomeInput>.Rejected($"no 'id': every outcome names the {kind} it happened to", id?.Column ?? 0);
        }

        var outcomeCell = row.Find("outcome");
        OutcomeKind? outcome = outcomeCell?.Value.Text.ToLowerInvariant() switch
        {
            "converted" => OutcomeKind.Converted,
            "won" => OutcomeKind.Won,
            "lost" => OutcomeKind.Lost,
            _ => null,
        };
        if (outcome is null)
        {
            return RowReading<OutcomeInput>.Rejected(
                outcomeCell is { Value.IsMissing: false }
                    ? $"outcome '{outcomeCell.Value.Text}' must be converted, won or lost"
                    : "no 'outcome': say converted (a contact), won or lost (a deal)",
                outcomeCell?.Column ?? 0);
        }

        if ((kind == "contact") != (outcome == OutcomeKind.Converted))
        {
            return RowReading<OutcomeInput>.Rejected(
                kind == "contact"
                    ? $"a contact converts; '{outcomeCell!.Value.Text}' is for deals (add record=deal)"
                    : "a deal is won or lost; 'converted' is for contacts",
                outcomeCell!.Column);
        }

        var occurredAt = row.Find("occurredAt");
        if (occurredAt is not { Value.IsMissing: false })
        {
            return RowReading<OutcomeInput>.Rejected("no 'occurredAt': every outcome needs the date it happened", occurredAt?.Column ?? 0);
        }

        if (!IsoDate.TryParse(occurredAt.Value.Text, out var at))
        {
            return RowReading<OutcomeInput>.Rejected(
                $"occurredAt '{occurredAt.Value.Text}' is not an ISO 8601 date-time such as 2026-11-01T10:00:00Z", occurredAt.Column);
        }

        decimal? amount = null;
        if (row.Find("amount") is { Value.IsMissing: false } amountCell)
        {
            if (!decimal.TryParse(amountCell.Value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return RowReading<OutcomeInput>.Rejected($"amount '{amountCell.Value.Text}' is not a number such as 12500.50", amountCell.Column);
            }

            amount = parsed;
        }

        var recordKind = kind == "deal" ? RecordKind.Deal : RecordKind.Contact;
        return RowReading<OutcomeInput>.Of(new OutcomeInput(recordKind, id.Value.Text, outcome.Value, at, amount));
    }

    private static RowReading<TOut> Map<TIn, TOut>(RowReading<TIn> reading, Func<TIn, TOut> convert)
        where TIn : class
        where TOut : class =>
        reading.Item is { } item ? RowReading<TOut>.Of(convert(item)) : RowReading<TOut>.Rejected(reading.Problem!, reading.Column);
}
