using System.Security.Cryptography;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Search;

namespace ReferralExchange.Core.Tests.Search;

public sealed class SearchCursorSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SearchCursor Cursor = new(new SearchSort(SortKey.Priority, true), 3, Now.UtcTicks - 5, "task-1", Now.UtcTicks - 10);
    private readonly SearchCursorSigner _signer = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Open_WhatItIssuedForTheSameBinding_GivesTheCursorBack() =>
        Assert.Equal(Cursor, _signer.Open(_signer.Issue(Cursor, "bh\nTask\nstatus=requested"), "bh\nTask\nstatus=requested", Now));

    [Fact]
    public void Open_ForAnotherBinding_IsRefused() =>
        AssertRefused(() => _signer.Open(_signer.Issue(Cursor, "bh\nTask\nstatus=requested"), "va\nTask\nstatus=requested", Now));

    [Fact]
    public void Open_WithAnAlteredPayload_IsRefused()
    {
        var token = _signer.Issue(Cursor, "b");
        var forged = System.Buffers.Text.Base64Url.EncodeToString("1|-priority|3|0|0|other"u8) + token[token.IndexOf('.')..];
        AssertRefused(() => _signer.Open(forged, "b", Now));
    }

    [Fact]
    public void Open_OfAnotherServersKey_IsRefused() =>
        AssertRefused(() => new SearchCursorSigner(RandomNumberGenerator.GetBytes(32)).Open(_signer.Issue(Cursor, "b"), "b", Now));

    [Fact]
    public void Open_PastItsLifetime_IsRefused() =>
        AssertRefused(() => _signer.Open(_signer.Issue(Cursor, "b"), "b", Now + SearchCursorSigner.Lifetime + TimeSpan.FromSeconds(1)));

    [Theory]
    [InlineData("")]
    [InlineData("!!not-a-cursor!!")]
    [InlineData("abc.def")]
    public void Open_Garbage_IsRefused(string token) => AssertRefused(() => _signer.Open(token, "b", Now));

    private static void AssertRefused(Func<SearchCursor> open)
    {
        var error = Assert.Throws<GatewayException>(() => open());
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal("_cursor", error.Issues[0].Expression);
    }
}
