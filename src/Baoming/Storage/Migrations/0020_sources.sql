-- Where a registration came from (issue 18, sources): the source of the deep link the member signed up
-- through (t.me/<bot>?start=<key>-<source>), null when none. Same alphabet and length as a start payload.
alter table registrations add column source text check (source ~ '^[A-Za-z0-9_-]{1,64}$');
