-- The send-rate gauge (/metrics) counts sends of the last seconds across all instances.
create index deliveries_recently_sent on deliveries (updated_at) where state = 'sent';
