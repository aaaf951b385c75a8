using Baoming.Core;
using Baoming.Core.Signup;
using Microsoft.Extensions.Time.Testing;

namespace Baoming.Core.Tests;

public sealed class ReminderRulesTests
{
    private static readonly TimeSpan[] DayAndHour = [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];

    private static Session SessionAt(DateTimeOffset startsAt, bool isCancelled = false) =>
        new() { Id = 1, Key = "metaverse", Title = "到底什么是\"元宇宙\"", StartsAt = startsAt, IsCancelled = isCancelled };

    [Fact]
    public void A_session_weeks_ahead_gets_a_day_before_and_an_hour_before_reminder()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8)));
        var start = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8));

        var slots = ReminderRules.Slots(SessionAt(start), DayAndHour, clock.GetUtcNow());

        Assert.Equal([new ReminderSlot(TimeSpan.FromDays(1), start.AddDays(-1)), new ReminderSlot(TimeSpan.FromHours(1), start.AddHours(-1))], slots);
    }

    [Fact]
    public void A_slot_that_has_passed_is_not_sent_late()
    {
        var start = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8));
        var clock = new FakeTimeProvider(start.AddHours(-5));

        var slots = ReminderRules.Slots(SessionAt(start), DayAndHour, clock.GetUtcNow());

        Assert.Equal([new ReminderSlot(TimeSpan.FromHours(1), start.AddHours(-1))], slots);
        clock.Advance(TimeSpan.FromHours(4.5));
        Assert.Empty(ReminderRules.Slots(SessionAt(start), DayAndHour, clock.GetUtcNow()));
    }

    [Fact]
    public void A_moved_session_moves_its_slots_with_it()
    {
        var now = new DateTimeOffset(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));
        var moved = new DateTimeOffset(2027, 2, 24, 20, 0, 0, TimeSpan.FromHours(8));

        var slots = ReminderRules.Slots(SessionAt(moved), DayAndHour, now);

        Assert.Equal([moved.AddDays(-1), moved.AddHours(-1)], slots.Select(s => s.DueAt));
    }

    [Fact]
    public void A_cancelled_or_started_session_gets_no_reminders()
    {
        var now = new DateTimeOffset(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));

        Assert.Empty(ReminderRules.Slots(SessionAt(now.AddDays(7), isCancelled: true), DayAndHour, now));
        Assert.Empty(ReminderRules.Slots(SessionAt(now), DayAndHour, now));
    }

    [Fact]
    public void Duplicate_and_negative_offsets_are_ignored_and_zero_is_the_starting_now_slot()
    {
        var now = new DateTimeOffset(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));
        var session = SessionAt(now.AddDays(7));

        var slots = ReminderRules.Slots(session, [TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromHours(-2)], now);

        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.Zero], slots.Select(s => s.Offset));
        Assert.Equal(session.StartsAt, slots[1].DueAt);
        Assert.True(ReminderRules.IsStartingNow(slots[1].Offset));
        Assert.False(ReminderRules.IsStartingNow(slots[0].Offset));
    }
}
