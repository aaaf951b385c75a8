-- The shell acts as a made-up Telegram member, so its audit entries also name the operating-system
-- user who ran it. The shell sets baoming.os_user on each of its connections (AuditLog.AttributedTo);
-- every insert picks it up here, whichever code writes the entry. Null for the bot and the other verbs.
-- (Default set after the column is added: added with it, existing rows would take the migrating
-- connection's value.)
alter table audit_log add column os_user text;
alter table audit_log alter column os_user set default nullif(current_setting('baoming.os_user', true), '');
