using System.Buffers;
using System.Text.Json;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// A JSON writer and its buffer kept per thread for synchronous builders that copy out what they
/// wrote (ADR 0027). A <see cref="Utf8JsonWriter"/> asks its buffer for 4 KB at its first write, so
/// a fresh writer per audit record or Bundle allocated and grew a buffer each time: a fifth of an
/// inbox page's allocation. The options are the defaults, as a fresh writer's were, so what is
/// written is byte for byte the same (the audit trail's canonical form depends on it).
/// </summary>
public sealed class ReusableJsonWriter : IDisposable
{
    // A buffer grown past this by one large document is not kept: it would stay with the thread.
    private const int KeepAtMost = 256 * 1024;

    [ThreadStatic]
    private static ReusableJsonWriter? t_spare;

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    private ReusableJsonWriter() => Json = new Utf8JsonWriter(_buffer);

    public Utf8JsonWriter Json { get; }

    /// <summary>What has been written so far (flushed first).</summary>
    public ReadOnlySpan<byte> Written
    {
        get
        {
            Json.Flush();
            return _buffer.WrittenSpan;
        }
    }

    /// <summary>The thread's spare writer, empty, or a new one if it is in use (a builder inside a builder).</summary>
    public static ReusableJsonWriter Rent()
    {
        var writer = t_spare ?? new ReusableJsonWriter();
        t_spare = null;
        return writer;
    }

    public void Dispose()
    {
        Json.Reset();
        _buffer.ResetWrittenCount();
        if (_buffer.Capacity <= KeepAtMost)
        {
            t_spare = this;
        }
    }
}
