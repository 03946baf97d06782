using LeadScore.Engine.Subjects;
using LeadScore.Storage.Rows;

namespace LeadScore.Cli.Input;

/// <summary>An event read for offline scoring, with its line and the id of its contact.</summary>
internal sealed record EventRecord(int Line, string Contact, ActivityEvent Event);

/// <summary>Reads an events file for offline scoring (the columns are <see cref="EventRow"/>'s). The same event id counts once.</summary>
internal static class EventFile
{
    /// <summary>Reads events for offline scoring, which matches them to contacts by id only.</summary>
    public static List<EventRecord> Read(string path, List<InputError> errors)
    {
        var events = new List<EventRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var name = Path.GetFileName(path);
        foreach (var (line, read, error) in SourceFile.ReadItems(path, EventRow.Read))
        {
            if (error is not null)
            {
                errors.Add(error);
                continue;
            }

            if (read!.Contact is null)
            {
                errors.Add(new InputError(name, line, "no 'contact': offline scoring matches events to contacts by id, not by email"));
                continue;
            }

            if (seen.Add(read.Event.Id))
            {
                events.Add(new EventRecord(line, read.Contact, read.Event));
            }
        }

        return events;
    }
}
