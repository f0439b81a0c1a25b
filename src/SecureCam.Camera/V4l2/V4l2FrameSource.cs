using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Camera.Jpeg;
using SecureCam.Camera.V4l2.Native;

namespace SecureCam.Camera.V4l2;

/// <summary>
/// A USB webcam through V4L2 with memory-mapped buffers. MJPEG frames are served as they come (with
/// the standard Huffman table inserted when the camera leaves it out); YUYV frames are encoded with
/// libjpeg-turbo. Waits in poll with a timeout, uses bytesused rather than the buffer length, and
/// always serves the newest filled buffer (older ones go straight back to the driver). When the
/// camera is unplugged (ENODEV) or stalls, everything is released and the device is opened again
/// with a capped backoff, so replugging it resumes the stream.
/// </summary>
public sealed unsafe class V4l2FrameSource : IFrameSource
{
    private const int PollMilliseconds = 500;

    // Half a second: a replugged camera is usually back by then, and a missing one is not asked for more than twice a second.
    private static readonly TimeSpan FirstRestartWait = TimeSpan.FromMilliseconds(500);

    private readonly string _devicePath;
    private readonly V4l2CaptureSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public V4l2FrameSource(string devicePath, V4l2CaptureSettings settings, ILogger<V4l2FrameSource>? logger = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(devicePath);
        ArgumentNullException.ThrowIfNull(settings);
        _devicePath = devicePath;
        _settings = settings;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public string Kind => "v4l2";

    public string Description => $"v4l2 {_devicePath}";

    public Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);

        // poll and ioctl block, so capture gets its own thread instead of a pool thread.
        return Task.Factory.StartNew(() => CaptureLoop(sink, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void CaptureLoop(IFrameSink sink, CancellationToken cancellationToken)
    {
        var restarts = SourceRestarts.Create<SessionEnd>(
            FirstRestartWait,
            _settings.MaxBackoff,
            _time,
            ranWell: session => session.Delivered,
            onRestart: (session, wait) =>
            {
                sink.OnRestart(session.Error ?? "capture ended");
                _logger.LogWarning("Camera {Device}: {Error}; reopening in {Seconds:0.#} s", _devicePath, session.Error, wait.TotalSeconds);
            });
        try
        {
            restarts.Execute(token => Session(sink, token), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the hub while waiting to reopen.
        }
    }

    /// <summary>
    /// One opening of the device. A failure the device can recover from (unplugged, busy, stalled, a node that is
    /// not a camera until the right one is plugged in) ends the session with its error; the library missing throws.
    /// </summary>
    private SessionEnd Session(IFrameSink sink, CancellationToken cancellationToken)
    {
        var delivered = false;
        try
        {
            CaptureSession(sink, () => delivered = true, cancellationToken);
            return new SessionEnd(delivered, Error: null);
        }
        catch (Exception ex) when (ex is V4l2Exception or InvalidOperationException)
        {
            return new SessionEnd(delivered, ex.Message);
        }
    }

    /// <summary>Opens, configures and streams until cancelled (returns) or the device fails (throws); <paramref name="delivered"/> hears each frame served.</summary>
    private void CaptureSession(IFrameSink sink, Action delivered, CancellationToken cancellationToken)
    {
        using var device = V4l2Device.Open(_devicePath);
        var cap = device.QueryCapability();
        if ((cap.EffectiveCaps & V4l2Constants.CapVideoCapture) == 0 || (cap.EffectiveCaps & V4l2Constants.CapStreaming) == 0)
        {
            throw new InvalidOperationException($"{_devicePath} is not a video capture device with streaming I/O (try another /dev/videoN; `securecam cameras` lists them).");
        }

        var pixelFormat = ChoosePixelFormat(device.EnumerateFormats());
        var format = device.SetFormat(pixelFormat, _settings.Width, _settings.Height);
        if (format.PixelFormat != pixelFormat)
        {
            throw new InvalidOperationException($"{_devicePath} refused pixel format {V4l2Constants.FourCcText(pixelFormat)}.");
        }

        var rate = device.SetFrameRate(_settings.Fps);
        _logger.LogInformation(
            "Camera {Device}: {Format} {Width}x{Height} at {Rate} fps",
            _devicePath,
            V4l2Constants.FourCcText(pixelFormat),
            format.Width,
            format.Height,
            rate?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) ?? "driver default");

        using var yuyvEncoder = pixelFormat == V4l2Constants.PixFmtYuyv ? new YuyvJpegEncoder(_settings.Quality) : null;
        uint count = device.RequestBuffers(_settings.BufferCount);
        if (count < 2)
        {
            throw new V4l2Exception($"{_devicePath}: driver granted {count} buffers, need at least 2", LibC.EBUSY);
        }

        var maps = new (nint Address, uint Length)[count];
        try
        {
            for (uint i = 0; i < count; i++)
            {
                var buffer = device.QueryBuffer(i);
                maps[i] = (device.Map(buffer.Offset, buffer.Length), buffer.Length);
                device.Queue(i);
            }

            device.StreamOn();
            Stream(device, format, yuyvEncoder, maps, sink, delivered, cancellationToken);
        }
        finally
        {
            device.TryStreamOff();
            foreach (var (address, length) in maps)
            {
                if (address != 0 && address != LibC.MapFailed)
                {
                    _ = LibC.Munmap(address, length);
                }
            }

            try
            {
                // Frees the driver's buffers; fails harmlessly when the device is already gone.
                _ = device.RequestBuffers(0);
            }
            catch (V4l2Exception)
            {
            }
        }
    }

    private void Stream(V4l2Device device, V4l2Format format, YuyvJpegEncoder? yuyvEncoder, (nint Address, uint Length)[] maps, IFrameSink sink, Action delivered, CancellationToken cancellationToken)
    {
        (byte[] Jpeg, JpegFrameInfo Info)? found = null;
        var splitter = new JpegStreamSplitter(_settings.MaxFrameBytes, (jpeg, info) => found = (jpeg, info), sink.OnFrameSkipped, _ => { });
        long lastFrame = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!device.WaitReadable(PollMilliseconds))
            {
                if (_time.GetElapsedTime(lastFrame) > _settings.StallTimeout)
                {
                    throw new V4l2Exception($"{_devicePath}: no frame for {_settings.StallTimeout.TotalSeconds:0.#} s", LibC.EIO);
                }

                continue;
            }

            // Drain to the newest filled buffer: older ones are stale, give them straight back.
            V4l2Buffer newest = default;
            bool any = false;
            while (device.TryDequeue(out var buffer))
            {
                if (any)
                {
                    device.Queue(newest.Index);
                }

                newest = buffer;
                any = true;
            }

            if (!any)
            {
                continue;
            }

            try
            {
                var capturedAt = _time.GetUtcNow();
                var map = maps[newest.Index];
                var data = new ReadOnlySpan<byte>((void*)map.Address, (int)Math.Min(newest.BytesUsed, map.Length));
                if ((newest.Flags & V4l2Constants.BufFlagError) != 0)
                {
                    sink.OnFrameSkipped("the driver marked the buffer as corrupted");
                }
                else if (yuyvEncoder is not null)
                {
                    int needed = (int)(((format.Height - 1) * format.BytesPerLine) + (format.Width * 2));
                    if (data.Length < needed)
                    {
                        sink.OnFrameSkipped($"short YUYV buffer ({data.Length} of {needed} bytes)");
                    }
                    else
                    {
                        sink.OnFrame(yuyvEncoder.Encode(data, (int)format.Width, (int)format.Height, (int)format.BytesPerLine), (int)format.Width, (int)format.Height, capturedAt);
                        delivered();
                        lastFrame = _time.GetTimestamp();
                    }
                }
                else
                {
                    found = null;
                    splitter.Push(data);
                    splitter.Reset();
                    if (found is { } frame)
                    {
                        sink.OnFrame(HuffmanTableInserter.EnsureHuffmanTables(frame.Jpeg, frame.Info), frame.Info.Width, frame.Info.Height, capturedAt);
                        delivered();
                        lastFrame = _time.GetTimestamp();
                    }
                }
            }
            finally
            {
                device.Queue(newest.Index);
            }
        }
    }

    /// <summary>How one opening of the device ended: whether it served frames, and the error when it failed.</summary>
    private sealed record SessionEnd(bool Delivered, string? Error);

    private uint ChoosePixelFormat(List<(uint PixelFormat, string Description)> formats)
    {
        // MJPEG first: it is the only way to 720p/1080p at 30 fps over USB 2, and needs no encoding.
        foreach (var preferred in new[] { V4l2Constants.PixFmtMjpeg, V4l2Constants.PixFmtJpeg, V4l2Constants.PixFmtYuyv })
        {
            if (formats.Exists(f => f.PixelFormat == preferred))
            {
                return preferred;
            }
        }

        var offered = string.Join(", ", formats.Select(f => V4l2Constants.FourCcText(f.PixelFormat)));
        throw new InvalidOperationException($"{_devicePath} offers neither MJPEG nor YUYV (it offers: {(offered.Length == 0 ? "nothing" : offered)}).");
    }
}
