#!/usr/bin/env bash
# Regenerates docs/images/stats.png, README's picture of /stats, from a real run: the bot's own migrations on
# a scratch database, a demo series of four sessions seeded with SQL (sign-ups, sources, a broadcast, reminders
# that went out, attendance, feedback), then the `stats` verb drawing the latest session, exactly as /stats does.
#
#   tools/stats-picture.sh 'Host=127.0.0.1;Port=5432;Username=postgres;Database=stats_demo'
#
# The database must exist and be empty (it is filled with demo data). Needs psql and a CJK font
# (fonts-wqy-microhei); builds the bot first. Times are relative to now, so the picture is "yesterday's session".
set -euo pipefail
cd "$(dirname "$0")/.."

connection=${1:?usage: tools/stats-picture.sh CONNECTION_STRING (an empty scratch database)}
export ConnectionStrings__Postgres="$connection"

# psql takes the same database as key=value pairs: Host=h;Port=p;Username=u;Password=x;Database=d.
psql_args=()
IFS=';' read -ra parts <<<"$connection"
for part in "${parts[@]}"; do
  key=${part%%=*}; value=${part#*=}
  case "${key,,}" in
    host) psql_args+=(-h "$value") ;;
    port) psql_args+=(-p "$value") ;;
    username|user\ id|user) psql_args+=(-U "$value") ;;
    password) export PGPASSWORD="$value" ;;
    database) psql_args+=(-d "$value") ;;
  esac
done

dotnet build src/Baoming -c Release -v q --nologo >/dev/null
bot=src/Baoming/bin/Release/net10.0/Baoming.dll
dotnet "$bot" migrate >/dev/null

psql "${psql_args[@]}" -v ON_ERROR_STOP=1 -q <<'SQL'
insert into series (key, title) values ('xuantihui', '线上选题会');
insert into sessions (key, title, starts_at, duration_minutes, capacity, source, series_id)
select 'xuantihui-' || n, '线上选题会 第' || n || '期', date_trunc('hour', now()) + ((n - 4) * 14 - 1) * interval '1 day' + interval '11 hours', 90, 0, 'chat',
       (select id from series where key = 'xuantihui')
  from generate_series(1, 4) n;
update sessions set title = '线上选题会 第4期：到底什么是"元宇宙"' where key = 'xuantihui-4';

insert into members (id, display_name, language_code)
select 7000000 + g, '读者' || g, 'zh-hans' from generate_series(1, 1500) g;

-- The first three sessions: a growing series, most members new each time, some coming back.
insert into registrations (session_id, member_id, status, registered_at, attended_at, attended_via, source)
select s.id, 7000000 + g, case when g % 11 = 0 then 'cancelled' else 'confirmed' end,
       s.starts_at - (1 + (g * 7919) % 240) * interval '1 hour',
       case when g % 11 <> 0 and g % 10 < 6 + (n % 2) then s.starts_at + interval '5 minutes' end,
       case when g % 11 <> 0 and g % 10 < 6 + (n % 2) then 'link' end,
       case when g % 3 = 0 then 'wx36kr' end
  from generate_series(1, 3) n
  join sessions s on s.key = 'xuantihui-' || n
  cross join generate_series(1 + (n - 1) * 150, 250 + n * 170) g;

-- The latest session: a slow start, a jump after the broadcast five days before, and again after each reminder.
with moments (member, at) as (
    select 7000000 + g,
           s.starts_at - case
               when g <= 260 then interval '13 days' - (g * 7 % 260) * interval '30 minutes'
               when g <= 700 then interval '5 days' - power((g - 260) / 440.0, 1.8) * interval '4 days'
               when g <= 900 then interval '1 day' - power((g - 700) / 200.0, 2) * interval '23 hours'
               else interval '1 hour' - ((g - 900) / 120.0) * interval '55 minutes' end
      from sessions s, generate_series(101, 1120) g where s.key = 'xuantihui-4')
insert into registrations (session_id, member_id, status, registered_at, cancelled_at, waitlist_seq, attended_at, attended_via, source)
select s.id, m.member,
       case when m.member % 13 = 0 then 'cancelled' when m.member % 29 = 0 then 'waitlisted' else 'confirmed' end,
       m.at,
       case when m.member % 13 = 0 then m.at + interval '2 days' end,
       case when m.member % 29 = 0 and m.member % 13 <> 0 then nextval('waitlist_seq') end,
       case when m.member % 13 <> 0 and m.member % 29 <> 0 and m.member % 10 < 7 then s.starts_at + interval '3 minutes' end,
       case when m.member % 13 <> 0 and m.member % 29 <> 0 and m.member % 10 < 7 then 'button' end,
       case m.member % 20 when 0 then 'qrcode' when 1 then 'qrcode' when 2 then 'group-bookclub' when 3 then 'group-bookclub' when 4 then 'group-bookclub'
                          when 5 then 'wx36kr' when 6 then 'wx36kr' when 7 then 'wx36kr' when 8 then 'wx36kr' when 9 then 'wx36kr' end
  from moments m, sessions s where s.key = 'xuantihui-4';

update sessions s
   set confirmed_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'confirmed'),
       waitlisted_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'waitlisted');

insert into reminder_slots (session_id, "offset", due_at, state)
select id, o, starts_at - o, 'done' from sessions, unnest(array[interval '1 day', interval '1 hour']) o where key = 'xuantihui-4';
insert into broadcasts (author_id, audience, session_id, text, state, prepared_at, created_at)
select 1, 'everyone', id, '第4期选题会报名开始了', 'done', starts_at - interval '5 days', starts_at - interval '5 days' from sessions where key = 'xuantihui-4';

insert into feedback_requests (session_id, requested_at) select id, starts_at + interval '2 hours' from sessions where key = 'xuantihui-4';
insert into feedback (session_id, member_id, score, scored_at)
select r.session_id, r.member_id, 3 + (r.member_id % 7 > 1)::int + (r.member_id % 3 > 0)::int, now()
  from registrations r join sessions s on s.id = r.session_id
 where s.key = 'xuantihui-4' and r.attended_at is not null and r.member_id % 4 = 0;
SQL

mkdir -p docs/images
dotnet "$bot" stats --session xuantihui-4 --output docs/images/stats.png
# The series' trend as well, for a look (not in the README).
dotnet "$bot" stats --series xuantihui --output "${TMPDIR:-/tmp}/stats-series.png"
echo "wrote docs/images/stats.png (and ${TMPDIR:-/tmp}/stats-series.png)" >&2
