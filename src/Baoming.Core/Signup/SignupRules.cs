namespace Baoming.Core.Signup;

/// <summary>A session's seats at the moment of a decision, read under the session's row lock.</summary>
public sealed record SeatState
{
    public required Session Session { get; init; }
    public required int Confirmed { get; init; }
    public required int Waitlisted { get; init; }

    /// <summary>The member's existing registration for this session, if any.</summary>
    public RegistrationStatus? Existing { get; init; }

    /// <summary>The member's 1-based waitlist position when <see cref="Existing"/> is waitlisted.</summary>
    public int? ExistingWaitlistPosition { get; init; }
}

/// <summary>What a sign-up request results in. Expected outcomes are values, not exceptions.</summary>
public abstract record SignupDecision
{
    private SignupDecision()
    {
    }

    public sealed record Confirm : SignupDecision;

    public sealed record Waitlist(int Position) : SignupDecision;

    public sealed record AlreadyConfirmed : SignupDecision;

    public sealed record AlreadyWaitlisted(int Position) : SignupDecision;

    /// <summary>The session has started, ended or was cancelled.</summary>
    public sealed record Closed : SignupDecision;

    /// <summary>Sign-up opens later (<see cref="Session.OpensAt"/>): the reader is told when.</summary>
    public sealed record NotYetOpen(DateTimeOffset OpensAt) : SignupDecision;
}

/// <summary>What a cancellation results in.</summary>
public abstract record CancelDecision
{
    private CancelDecision()
    {
    }

    /// <summary>Cancel; when <see cref="FreesSeat"/> the first waitlisted member moves up.</summary>
    public sealed record Cancel(bool FreesSeat) : CancelDecision;

    public sealed record NotSignedUp : CancelDecision;

    /// <summary>The session has already started: nothing to cancel any more.</summary>
    public sealed record TooLate : CancelDecision;
}

public static class SignupRules
{
    /// <summary>
    /// Sign-up has not opened yet: <see cref="Session.OpensAt"/> is later than <paramref name="now"/>; from that
    /// instant on it is open. Kept apart from <see cref="Session.IsOpenAt"/>, which means "upcoming and not
    /// cancelled": the organizers' upcoming list, the broadcast audience, the deep-link card and the readers'
    /// list all show a session that waits for its opening, and only the seat itself waits.
    /// </summary>
    public static bool IsBeforeOpening(Session session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.OpensAt > now;
    }

    /// <summary>A seat can be taken now: upcoming, not cancelled, and sign-up has opened.</summary>
    public static bool CanSignUpAt(Session session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.IsOpenAt(now) && !IsBeforeOpening(session, now);
    }

    public static SignupDecision Decide(SeatState state, DateTimeOffset now)
    {
        switch (state.Existing)
        {
            case RegistrationStatus.Confirmed:
                return new SignupDecision.AlreadyConfirmed();
            case RegistrationStatus.Waitlisted:
                return new SignupDecision.AlreadyWaitlisted(state.ExistingWaitlistPosition ?? 1);
        }

        if (!state.Session.IsOpenAt(now))
        {
            return new SignupDecision.Closed();
        }

        // After the closed check: a cancelled session that was never opened is "cancelled", not "opens on …".
        if (IsBeforeOpening(state.Session, now))
        {
            return new SignupDecision.NotYetOpen(state.Session.OpensAt!.Value);
        }

        var capacity = state.Session.Capacity;
        if (capacity == 0 || state.Confirmed < capacity)
        {
            return new SignupDecision.Confirm();
        }

        return new SignupDecision.Waitlist(state.Waitlisted + 1);
    }

    public static CancelDecision DecideCancel(SeatState state, DateTimeOffset now)
    {
        if (state.Existing is null or RegistrationStatus.Cancelled)
        {
            return new CancelDecision.NotSignedUp();
        }

        if (state.Session.StartsAt <= now && !state.Session.IsCancelled)
        {
            return new CancelDecision.TooLate();
        }

        return new CancelDecision.Cancel(FreesSeat: state.Existing == RegistrationStatus.Confirmed && state.Waitlisted > 0);
    }

    /// <summary>
    /// After a capacity change or a cancellation: how many waitlisted members move up.
    /// </summary>
    public static int SeatsToPromote(int capacity, int confirmed, int waitlisted) =>
        capacity == 0 ? waitlisted : Math.Clamp(capacity - confirmed, 0, waitlisted);
}
