-- Attendance (issue 17): a confirmed registration ends attended (attended_at set) or, once the
-- session is over, a no-show; a cancelled one stays cancelled. How it was recorded is kept beside it:
-- the member's personal join link, their 我已入会 button, or an organizer's import from the meeting platform.
alter table registrations
    add column attended_at timestamptz,
    add column attended_via text check (attended_via in ('link', 'button', 'import')),
    add constraint registrations_attended_via check ((attended_at is null) = (attended_via is null));
