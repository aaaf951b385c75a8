using Baoming.Core;
using Baoming.Core.Signup;

namespace Baoming.Core.Tests;

public sealed class SignupRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));

    private static SeatState State(int capacity, int confirmed, int waitlisted = 0, RegistrationStatus? existing = null, int? position = null,
        DateTimeOffset? startsAt = null, bool isCancelled = false) => new()
        {
            Session = new Session
            {
                Id = 1,
                Key = "metaverse",
                Title = "到底什么是\"元宇宙\"",
                StartsAt = startsAt ?? new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8)),
                Capacity = capacity,
                IsCancelled = isCancelled,
            },
            Confirmed = confirmed,
            Waitlisted = waitlisted,
            Existing = existing,
            ExistingWaitlistPosition = position,
        };

    [Theory]
    [InlineData(0, 100_000)]
    [InlineData(500, 0)]
    [InlineData(500, 499)]
    public void A_session_with_a_free_seat_confirms(int capacity, int confirmed) =>
        Assert.IsType<SignupDecision.Confirm>(SignupRules.Decide(State(capacity, confirmed), Now));

    [Fact]
    public void A_full_session_waitlists_behind_those_already_waiting() =>
        Assert.Equal(new SignupDecision.Waitlist(4), SignupRules.Decide(State(capacity: 2, confirmed: 2, waitlisted: 3), Now));

    [Fact]
    public void Signing_up_again_while_confirmed_is_already_confirmed() =>
        Assert.IsType<SignupDecision.AlreadyConfirmed>(SignupRules.Decide(State(2, 2, existing: RegistrationStatus.Confirmed), Now));

    [Fact]
    public void Signing_up_again_while_waitlisted_keeps_the_place() =>
        Assert.Equal(new SignupDecision.AlreadyWaitlisted(3), SignupRules.Decide(State(2, 2, 5, RegistrationStatus.Waitlisted, position: 3), Now));

    [Fact]
    public void Signing_up_again_after_cancelling_takes_a_seat_again() =>
        Assert.IsType<SignupDecision.Confirm>(SignupRules.Decide(State(2, 1, existing: RegistrationStatus.Cancelled), Now));

    [Fact]
    public void A_started_or_cancelled_session_is_closed()
    {
        Assert.IsType<SignupDecision.Closed>(SignupRules.Decide(State(0, 0, startsAt: Now), Now));
        Assert.IsType<SignupDecision.Closed>(SignupRules.Decide(State(0, 0, isCancelled: true), Now));
    }

    [Fact]
    public void Cancelling_a_confirmed_seat_frees_it_for_the_waitlist_only_when_someone_waits()
    {
        Assert.Equal(new CancelDecision.Cancel(FreesSeat: true), SignupRules.DecideCancel(State(1, 1, 2, RegistrationStatus.Confirmed), Now));
        Assert.Equal(new CancelDecision.Cancel(FreesSeat: false), SignupRules.DecideCancel(State(1, 1, 0, RegistrationStatus.Confirmed), Now));
        Assert.Equal(new CancelDecision.Cancel(FreesSeat: false), SignupRules.DecideCancel(State(1, 1, 2, RegistrationStatus.Waitlisted, 1), Now));
    }

    [Fact]
    public void Cancelling_without_a_sign_up_or_after_the_start_changes_nothing()
    {
        Assert.IsType<CancelDecision.NotSignedUp>(SignupRules.DecideCancel(State(1, 0), Now));
        Assert.IsType<CancelDecision.NotSignedUp>(SignupRules.DecideCancel(State(1, 0, existing: RegistrationStatus.Cancelled), Now));
        Assert.IsType<CancelDecision.TooLate>(SignupRules.DecideCancel(State(1, 1, existing: RegistrationStatus.Confirmed, startsAt: Now.AddMinutes(-5)), Now));
    }

    [Theory]
    [InlineData(0, 10, 7, 7)]
    [InlineData(10, 10, 7, 0)]
    [InlineData(12, 10, 7, 2)]
    [InlineData(100, 10, 7, 7)]
    [InlineData(5, 10, 7, 0)]
    public void Seats_to_promote_fill_free_seats_from_the_waitlist(int capacity, int confirmed, int waitlisted, int expected) =>
        Assert.Equal(expected, SignupRules.SeatsToPromote(capacity, confirmed, waitlisted));
}
