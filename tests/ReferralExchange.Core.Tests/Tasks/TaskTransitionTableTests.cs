using ReferralExchange.Core.Tasks;

namespace ReferralExchange.Core.Tests.Tasks;

public sealed class TaskTransitionTableTests
{
    private static readonly TaskTransitionTable Table = TaskTransitionTable.Default;

    [Theory]
    [InlineData("requested", "accepted", TaskRole.Owner)]
    [InlineData("requested", "rejected", TaskRole.Owner)]
    [InlineData("accepted", "in-progress", TaskRole.Owner)]
    [InlineData("in-progress", "completed", TaskRole.Owner)]
    [InlineData("on-hold", "in-progress", TaskRole.Owner)]
    [InlineData("requested", "cancelled", TaskRole.Requester)]
    [InlineData("in-progress", "cancelled", TaskRole.Owner)]
    [InlineData("draft", "requested", TaskRole.Requester)]
    [InlineData("accepted", "entered-in-error", TaskRole.Requester)]
    public void IsAllowed_LegalMoveByTheRightParty_IsTrue(string from, string to, TaskRole role) =>
        Assert.True(Table.IsAllowed(from, to, role));

    [Theory]
    [InlineData("requested", "accepted", TaskRole.Requester)]
    [InlineData("requested", "in-progress", TaskRole.Owner)]
    [InlineData("requested", "completed", TaskRole.Owner)]
    [InlineData("on-hold", "completed", TaskRole.Owner)]
    [InlineData("completed", "in-progress", TaskRole.Owner)]
    [InlineData("rejected", "accepted", TaskRole.Owner)]
    [InlineData("cancelled", "entered-in-error", TaskRole.Requester)]
    [InlineData("accepted", "entered-in-error", TaskRole.Owner)]
    [InlineData("requested", "accepted", TaskRole.None)]
    public void IsAllowed_IllegalMoveOrWrongParty_IsFalse(string from, string to, TaskRole role) =>
        Assert.False(Table.IsAllowed(from, to, role));

    [Fact]
    public void AllowedMoves_FromFinalState_IsEmpty()
    {
        foreach (var final in Table.Final)
        {
            Assert.Empty(Table.AllowedMoves(final, TaskRole.Owner | TaskRole.Requester));
        }
    }

    [Fact]
    public void ReasonRequired_HoldsTheFourStatesOfTheProductRules() =>
        Assert.Equal(new HashSet<string> { "rejected", "cancelled", "on-hold", "failed" }, Table.ReasonRequired.ToHashSet());
}
