namespace SecureCam.Camera.Hub;

/// <summary>Frames per second over a sliding window, from the arrival times of the last frames.</summary>
internal sealed class FpsMeter
{
    // 256 arrivals cover the two-second window up to 128 fps; above that the window just shrinks.
    private readonly long[] _arrivals = new long[256];
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly object _gate = new();
    private int _count;
    private int _next;

    public FpsMeter(TimeProvider time, TimeSpan window)
    {
        _time = time;
        _window = window;
    }

    public void Add()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _arrivals[_next] = now;
            _next = (_next + 1) % _arrivals.Length;
            _count = Math.Min(_count + 1, _arrivals.Length);
        }
    }

    public double Current()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            int inWindow = 0;
            long oldest = now;
            for (int i = 0; i < _count; i++)
            {
                var at = _arrivals[(_next - 1 - i + _arrivals.Length) % _arrivals.Length];
                if (_time.GetElapsedTime(at, now) > _window)
                {
                    break;
                }

                inWindow++;
                oldest = at;
            }

            if (inWindow < 2)
            {
                return 0;
            }

            // n arrivals span n-1 intervals; measure up to now so a stalled source decays towards 0.
            var seconds = _time.GetElapsedTime(oldest, now).TotalSeconds;
            return seconds <= 0 ? 0 : Math.Round((inWindow - 1) / Math.Max(seconds, 1e-3), 1);
        }
    }
}
