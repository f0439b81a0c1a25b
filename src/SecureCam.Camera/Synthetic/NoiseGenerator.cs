namespace SecureCam.Camera.Synthetic;

/// <summary>xorshift32: a fixed seed gives the same texture every run, so frame sizes are reproducible.</summary>
internal struct NoiseGenerator
{
    private uint _state;

    public NoiseGenerator(uint seed) => _state = seed == 0 ? 1u : seed;

    /// <summary>A value in [0, 1).</summary>
    public double Next()
    {
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return _state / 4294967296.0;
    }
}
