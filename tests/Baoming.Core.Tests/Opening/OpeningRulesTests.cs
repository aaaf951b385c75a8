using Baoming.Core.Signup;

namespace Baoming.Core.Tests.Opening;

/// <summary>A session whose sign-up opens at a set time (<see cref="Session.OpensAt"/>, issue 18): the pure rules.</summary>
public sealed class OpeningRulesTests
{
    private static readonly DateTimeOffset Opens = new(2027, 1, 24, 10, 0, 0, TimeSpan.FromHours(8));

    private static SeatState State(DateTimeOffset? opensAt = null, bool isCancelled = false, RegistrationStatus? existing = null, int capacity = 0, int confirmed = 0) => new()
    {
        Session = CommunitySessions.Metaverse with { OpensAt = opensAt ?? Opens, IsCancelled = isCancelled, Capacity = capacity },
        Confirmed = confirmed,
        Waitlisted = 0,
        Existing = existing,
    };

    [Fact]
    public void Before_the_opening_time_sign_up_is_not_yet_open_and_says_when() =>
        Assert.Equal(new SignupDecision.NotYetOpen(Opens), SignupRules.Decide(State(), Opens.AddTicks(-1)));

    [Fact]
    public void At_the_opening_time_exactly_a_seat_is_taken() =>
        Assert.IsType<SignupDecision.Confirm>(SignupRules.Decide(State(), Opens));

    [Fact]
    public void After_the_opening_time_a_full_session_waitlists_as_usual() =>
        Assert.Equal(new SignupDecision.Waitlist(1), SignupRules.Decide(State(capacity: 1, confirmed: 1), Opens.AddMinutes(1)));

    [Fact]
    public void A_cancelled_session_that_never_opened_is_closed_not_yet_to_open() =>
        Assert.IsType<SignupDecision.Closed>(SignupRules.Decide(State(isCancelled: true), Opens.AddDays(-1)));

    [Fact]
    public void A_member_already_signed_up_before_an_opening_time_was_set_is_told_so() =>
        Assert.IsType<SignupDecision.AlreadyConfirmed>(SignupRules.Decide(State(existing: RegistrationStatus.Confirmed), Opens.AddDays(-1)));

    [Fact]
    public void A_session_without_an_opening_time_is_open_at_once()
    {
        var session = CommunitySessions.Metaverse;

        Assert.False(SignupRules.IsBeforeOpening(session, Opens));
        Assert.True(SignupRules.CanSignUpAt(session, Opens));
    }

    [Fact]
    public void A_session_waiting_for_its_opening_is_still_upcoming_but_cannot_be_signed_up_for()
    {
        var session = CommunitySessions.Metaverse with { OpensAt = Opens };

        // IsOpenAt keeps meaning "upcoming and not cancelled": /sessions, the broadcast audience and the card list it.
        Assert.True(session.IsOpenAt(Opens.AddDays(-1)));
        Assert.True(SignupRules.IsBeforeOpening(session, Opens.AddDays(-1)));
        Assert.False(SignupRules.CanSignUpAt(session, Opens.AddDays(-1)));
        Assert.True(SignupRules.CanSignUpAt(session, Opens));
        Assert.False(SignupRules.CanSignUpAt(session, session.StartsAt));
    }
}
