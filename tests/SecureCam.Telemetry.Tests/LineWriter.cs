using System.Collections.Concurrent;
using System.Text;

namespace SecureCam.Telemetry.Tests;

/// <summary>A TextWriter that keeps the lines written to it, readable while other threads write.</summary>
public sealed class LineWriter : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public override void Write(char value)
    {
        lock (_partial)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_partial)
        {
            _lines.Enqueue(_partial + (value ?? ""));
            _partial.Clear();
        }
    }
}
