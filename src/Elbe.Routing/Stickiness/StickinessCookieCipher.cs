using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Elbe.Routing.Stickiness;

/// <summary>
/// Seals stickiness cookie contents with AES-GCM and renders them as base64url without padding, which is
/// cookie-safe and needs no URL encoding (ALB does not accept URL-encoded stickiness cookies).
/// Value layout: nonce (12) | ciphertext | tag (16).
/// </summary>
/// <remarks>
/// Nonces are a random 96-bit starting point advanced by an atomic counter, not fresh random bytes per
/// cookie: a counter never repeats within a process, so the key survives far more cookies than the ~2^32
/// a purely random nonce allows, and the random start keeps nodes sharing the key apart. AesGcm holds
/// native cipher state that is not safe to share between threads, so each thread gets its own instance.
/// </remarks>
public sealed class StickinessCookieCipher : IDisposable
{
    public const int NonceSize = 12;
    public const int TagSize = 16;
    /// <summary>Cookie values above this are rejected before decoding, bounding the stack buffer.</summary>
    public const int MaxValueLength = 16 * 1024;

    private static readonly SearchValues<char> UrlSafeAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly byte[] _key;
    private readonly ThreadLocal<AesGcm> _aes;
    private readonly uint _noncePrefix;
    private long _nonceCounter;

    /// <param name="key">16, 24 or 32 bytes, shared by every node that must read the others' cookies.</param>
    public StickinessCookieCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 24 or 32))
            throw new ArgumentException("The stickiness key must be 16, 24 or 32 bytes.", nameof(key));
        _key = key.ToArray();
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(_key, TagSize), trackAllValues: true);
        Span<byte> start = stackalloc byte[12];
        RandomNumberGenerator.Fill(start);
        _noncePrefix = BinaryPrimitives.ReadUInt32LittleEndian(start);
        _nonceCounter = BinaryPrimitives.ReadInt64LittleEndian(start[4..]);
    }

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/>; <paramref name="associatedData"/> binds it to one cookie kind.</summary>
    public string Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        int length = NonceSize + plaintext.Length + TagSize;
        byte[]? rented = null;
        Span<byte> sealedBytes = length <= 1024 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            var nonce = sealedBytes[..NonceSize];
            BinaryPrimitives.WriteUInt32LittleEndian(nonce, _noncePrefix);
            BinaryPrimitives.WriteInt64LittleEndian(nonce[4..], Interlocked.Increment(ref _nonceCounter));
            _aes.Value!.Encrypt(nonce, plaintext, sealedBytes.Slice(NonceSize, plaintext.Length), sealedBytes[^TagSize..], associatedData);
            return Base64Url.EncodeToString(sealedBytes);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Decodes and verifies a cookie value into <paramref name="plaintext"/> (at least <see cref="MaxPlaintextLength"/>
    /// of the value long). False for anything malformed, tampered with, or sealed under another key.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<char> value, ReadOnlySpan<byte> associatedData, Span<byte> plaintext, out int written)
    {
        written = 0;
        if (value.IsEmpty || value.Length > MaxValueLength || value.ContainsAnyExcept(UrlSafeAlphabet)) return false;
        int maxBytes = Base64Url.GetMaxDecodedLength(value.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= 1024 ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes)).AsSpan(0, maxBytes);
        try
        {
            // The alphabet check above already rejects padding, whitespace and URL-encoding, which the
            // decoder would otherwise tolerate; the OperationStatus form never throws.
            if (Base64Url.DecodeFromChars(value, buffer, out _, out int decoded) != OperationStatus.Done) return false;
            int textLength = decoded - NonceSize - TagSize;
            if (textLength < 0 || textLength > plaintext.Length) return false;
            var sealedBytes = buffer[..decoded];
            try
            {
                _aes.Value!.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, textLength), sealedBytes[^TagSize..], plaintext[..textLength], associatedData);
            }
            catch (CryptographicException)
            {
                return false;
            }
            written = textLength;
            return true;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>An upper bound on the plaintext inside a value of <paramref name="valueLength"/> characters.</summary>
    public static int MaxPlaintextLength(int valueLength) => Math.Max(0, Base64Url.GetMaxDecodedLength(valueLength) - NonceSize - TagSize);

    public void Dispose()
    {
        foreach (var aes in _aes.Values) aes.Dispose();
        _aes.Dispose();
    }
}
