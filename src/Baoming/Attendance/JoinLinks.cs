using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Baoming.Core;
using Baoming.Platform;
using Baoming.Sessions;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Baoming.Attendance;

/// <summary>
/// Personal join links: <c>{Http:PublicUrl}/j/{token}</c>, one per registration. The token is a single
/// AES-256 block (ECB of one block is a keyed pseudorandom permutation) holding the member id (8 bytes),
/// the session id (6 bytes) and a 2-byte constant, base64url without padding (22 characters). Nothing is
/// stored per link: the bot reads the ids back by decrypting, and a token that does not decrypt to the
/// constant is refused without a database round trip. Guessing someone's link means guessing a block of
/// a 256-bit-keyed permutation; the key (<c>join_link_key</c>, migration 0017) is read once per process.
/// </summary>
public sealed class JoinLinks : IMemberJoinUrl, IDisposable
{
    public const string PathPrefix = "/j/";

    /// <summary>Base64url of 16 bytes, without padding.</summary>
    public const int TokenLength = 22;

    /// <summary>"j1": what a genuine block decrypts to in its last two bytes (a forged one: 1 in 65,536).</summary>
    private const ushort Marker = 0x6A31;

    private const long MaxSessionId = (1L << 48) - 1;

    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly NpgsqlDataSource dataSource;
    private readonly string? publicUrl;
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Cipher? cipher;

    public JoinLinks(NpgsqlDataSource dataSource, IOptions<HttpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.dataSource = dataSource;
        // Only an explicitly set public URL: the listen address is not one a member's phone can open.
        publicUrl = options.Value.PublicUrl is { Length: > 0 } url ? url.TrimEnd('/') : null;
    }

    /// <summary>Personal links are sent only when <c>Http:PublicUrl</c> is set; otherwise members get the plain join link.</summary>
    public bool IsEnabled => publicUrl is not null;

    /// <summary>The key has been read: <see cref="Token"/> and <see cref="PersonalUrl"/> may be used.</summary>
    public bool IsLoaded => cipher is not null;

    /// <summary>Reads the key once per process; later calls return at once.</summary>
    public ValueTask LoadAsync(CancellationToken cancellationToken) =>
        cipher is not null ? ValueTask.CompletedTask : new ValueTask(LoadSlowAsync(cancellationToken));

    /// <summary>The member's personal link to the session when links are personal and the session has a join URL, else its plain join URL.</summary>
    public async ValueTask<string?> ForAsync(Session session, long memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!IsEnabled || string.IsNullOrEmpty(session.JoinUrl))
        {
            return session.JoinUrl;
        }

        await LoadAsync(cancellationToken);
        return PersonalUrl(session.Id, memberId);
    }

    public async ValueTask<string> TokenAsync(long sessionId, long memberId, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Token(sessionId, memberId);
    }

    /// <summary>The token, synchronously, once <see cref="LoadAsync"/> has run (per-recipient rendering in the fan-out).</summary>
    public string Token(long sessionId, long memberId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memberId);
        ArgumentOutOfRangeException.ThrowIfNegative(sessionId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sessionId, MaxSessionId);
        var loaded = cipher ?? throw new InvalidOperationException("The join link key is not loaded yet: call LoadAsync first.");
        Span<byte> block = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(block, memberId);
        // The session id in 6 big-endian bytes (identity columns stay far below 2^48).
        BinaryPrimitives.WriteUInt16BigEndian(block[8..], (ushort)(sessionId >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(block[10..], (uint)sessionId);
        BinaryPrimitives.WriteUInt16BigEndian(block[14..], Marker);
        Span<byte> encrypted = stackalloc byte[16];
        loaded.Encrypt(block, encrypted);
        return Base64Url.EncodeToString(encrypted);
    }

    /// <summary>The member's own link to the session, or null when <c>Http:PublicUrl</c> is not set. Needs the key loaded.</summary>
    public string? PersonalUrl(long sessionId, long memberId) => publicUrl is null ? null : UrlFor(Token(sessionId, memberId));

    /// <summary><c>{Http:PublicUrl}/j/{token}</c>, or null when <c>Http:PublicUrl</c> is not set.</summary>
    public string? UrlFor(string token) => publicUrl is null ? null : string.Concat(publicUrl, PathPrefix, token);

    /// <summary>The ids in a genuine token; null for anything else. A malformed token never loads the key.</summary>
    public async ValueTask<(long SessionId, long MemberId)?> ReadAsync(string token, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(token))
        {
            return null;
        }

        await LoadAsync(cancellationToken);
        return Read(token);
    }

    /// <summary>The ids in a genuine token, synchronously, once the key is loaded; null for anything else.</summary>
    public (long SessionId, long MemberId)? Read(string token)
    {
        var loaded = cipher ?? throw new InvalidOperationException("The join link key is not loaded yet: call LoadAsync first.");
        Span<byte> encrypted = stackalloc byte[16];
        if (!TryDecode(token, encrypted))
        {
            return null;
        }

        Span<byte> block = stackalloc byte[16];
        loaded.Decrypt(encrypted, block);
        if (BinaryPrimitives.ReadUInt16BigEndian(block[14..]) != Marker)
        {
            return null;
        }

        var memberId = BinaryPrimitives.ReadInt64BigEndian(block);
        var sessionId = ((long)BinaryPrimitives.ReadUInt16BigEndian(block[8..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(block[10..]);
        return memberId > 0 && sessionId > 0 ? (sessionId, memberId) : null;
    }

    /// <summary>The shape of a token (22 base64url characters, canonical), before any key is needed.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        Span<byte> bytes = stackalloc byte[16];
        return TryDecode(token, bytes);
    }

    private static bool TryDecode(ReadOnlySpan<char> token, Span<byte> bytes)
    {
        // The decoder throws on characters outside the alphabet, so they are refused first.
        if (token.Length != TokenLength || token.ContainsAnyExcept(Alphabet)
            || Base64Url.DecodeFromChars(token, bytes, out _, out var written) != OperationStatus.Done || written != 16)
        {
            return false;
        }

        // One spelling per token: the decoder ignores the last character's unused low bits (and whitespace),
        // so compare with the canonical encoding.
        Span<char> canonical = stackalloc char[TokenLength];
        return Base64Url.TryEncodeToChars(bytes, canonical, out var length) && length == TokenLength && canonical.SequenceEqual(token);
    }

    private async Task LoadSlowAsync(CancellationToken cancellationToken)
    {
        const string Sql = "select key from join_link_key where id = 1";
        await loading.WaitAsync(cancellationToken);
        try
        {
            if (cipher is not null)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var key = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition(Sql, cancellationToken: cancellationToken))
                ?? throw new InvalidOperationException("join_link_key is empty: migration 0017 did not run.");
            cipher = new Cipher(key);
            CryptographicOperations.ZeroMemory(key);
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>Safe to call twice: the container disposes it once as itself and once as <see cref="IMemberJoinUrl"/>.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref cipher, null)?.Dispose();
        loading.Dispose();
    }

    /// <summary>
    /// AES-256 on single blocks. A transform is not safe to share between threads, and the one-shot
    /// <c>EncryptEcb</c> builds a native context per call: each thread keeps its own pair of transforms
    /// and buffers, so a burst of clicks allocates nothing here.
    /// </summary>
    private sealed class Cipher : IDisposable
    {
        private readonly Aes aes;
        private readonly object creating = new();
        private readonly ThreadLocal<Transforms> transforms;

        public Cipher(byte[] key)
        {
            aes = Aes.Create();
            aes.Key = key;
            aes.Mode = CipherMode.ECB;
            aes.Padding = PaddingMode.None;
            transforms = new ThreadLocal<Transforms>(Create, trackAllValues: true);
        }

        public void Encrypt(ReadOnlySpan<byte> block, Span<byte> destination) => transforms.Value!.Run(isEncrypt: true, block, destination);

        public void Decrypt(ReadOnlySpan<byte> block, Span<byte> destination) => transforms.Value!.Run(isEncrypt: false, block, destination);

        private Transforms Create()
        {
            lock (creating)
            {
                return new Transforms(aes.CreateEncryptor(), aes.CreateDecryptor());
            }
        }

        public void Dispose()
        {
            foreach (var pair in transforms.Values)
            {
                pair.Dispose();
            }

            transforms.Dispose();
            aes.Dispose();
        }
    }

    private sealed class Transforms(ICryptoTransform encryptor, ICryptoTransform decryptor) : IDisposable
    {
        private readonly byte[] input = new byte[16];
        private readonly byte[] output = new byte[16];

        public void Run(bool isEncrypt, ReadOnlySpan<byte> block, Span<byte> destination)
        {
            block.CopyTo(input);
            (isEncrypt ? encryptor : decryptor).TransformBlock(input, 0, 16, output, 0);
            output.CopyTo(destination);
            CryptographicOperations.ZeroMemory(output);
        }

        public void Dispose()
        {
            encryptor.Dispose();
            decryptor.Dispose();
        }
    }
}
