#include "common/queue/redis/redis_scripts.h"

#include <initializer_list>

#include "common/base/digest.h"

namespace aof::queue::redis_scripts {
namespace {

// Shared by the scripts that settle a delivery: whether `entry` is pending for `consumer`
// (and, with min_idle >= 0, idle at least that long: an expired lease).
constexpr const char* kOwned = R"lua(
local function owned(stream, group, consumer, entry, min_idle)
  local p
  if tonumber(min_idle) >= 0 then
    p = redis.pcall('XPENDING', stream, group, 'IDLE', min_idle, entry, entry, 1)
  else
    p = redis.pcall('XPENDING', stream, group, entry, entry, 1)
  end
  if type(p) ~= 'table' or p.err or #p ~= 1 then return false end
  return p[1][2] == consumer
end
)lua";

// Keeps at most `max` entries in a results or dead-letter stream, dropping the index key of
// each trimmed event that still points at it (a replay may have moved the event since).
constexpr const char* kTrim = R"lua(
local function trim(stream, max, index_prefix)
  local excess = redis.call('XLEN', stream) - tonumber(max)
  if excess <= 0 then return end
  local old = redis.call('XRANGE', stream, '-', '+', 'COUNT', excess)
  for _, entry in ipairs(old) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'id' then
        local key = index_prefix .. fields[i + 1]
        local idx = redis.call('GET', key)
        local suffix = '|' .. entry[1]
        if idx and string.sub(idx, -#suffix) == suffix then redis.call('DEL', key) end
      end
    end
    redis.call('XDEL', stream, entry[1])
  end
end
)lua";

constexpr const char* kNow = R"lua(
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
)lua";

// The publish of one event, shared by the single and the batch script so both behave alike.
// T holds what every event of the queue shares (keys stream, delayed, delayed_env, dlq,
// results; group, dedup ttl ms, max queued); `queued` is XLEN + ZCARD before this event (only
// read when T.max > 0). Returns the reply and `queued` after it, exactly as the next call
// would count it.
constexpr const char* kPublishOne = R"lua(
local function publish_one(T, index, dedup, delivery, envelope, gen_s, id, use_dedup,
                           use_delivery, queued)
  local gen = tonumber(gen_s)
  local idx = redis.call('GET', index)
  local old_state, old_loc
  if idx then
    local state, old_gen, loc = string.match(idx, '^(%a+)|(%d+)|(.*)$')
    if state == nil or tonumber(old_gen) >= gen then return 'duplicate', queued end
    old_state, old_loc = state, loc
  end
  if T.max > 0 and queued >= T.max then
    return redis.error_reply('QUEUEFULL ' .. T.max ..
      ' events are already queued (queue.retention.queue_max)'), queued
  end
  -- Taking the dedup key before the XADD is safe: once a script has written, Redis lets it
  -- finish even over maxmemory, so the key is never left without its event.
  if gen == 0 and use_dedup == '1' and
     not redis.call('SET', dedup, id, 'NX', 'PX', T.ttl) then
    return 'duplicate', queued
  end
  -- A replay (a newer generation) takes the place of the old record, wherever it is.
  if old_state == 'queued' then
    redis.pcall('XACK', T.stream, T.group, old_loc)
    queued = queued - redis.call('XDEL', T.stream, old_loc)
  elseif old_state == 'retrying' then
    queued = queued - redis.call('ZREM', T.delayed, id)
    redis.call('HDEL', T.delayed_env, id)
  elseif old_state == 'dead' then
    redis.call('XDEL', T.dlq, old_loc)
  elseif old_state == 'done' then
    redis.call('XDEL', T.results, old_loc)
  end
  local entry = redis.call('XADD', T.stream, '*', 'e', envelope)
  redis.call('SET', index, 'queued|' .. gen_s .. '|' .. entry)
  if use_delivery == '1' then redis.call('SET', delivery, id, 'PX', T.ttl) end
  return 'accepted', queued + 1
end

local function queued_now(T)
  if T.max <= 0 then return 0 end
  return redis.call('XLEN', T.stream) + redis.call('ZCARD', T.delayed)
end
)lua";

constexpr const char* kPublish = R"lua(
local T = {stream = KEYS[1], delayed = KEYS[5], delayed_env = KEYS[6], dlq = KEYS[7],
           results = KEYS[8], group = ARGV[7], ttl = ARGV[4], max = tonumber(ARGV[8])}
local reply = publish_one(T, KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[5],
                          ARGV[6], queued_now(T))
return reply
)lua";

// K events in one call, each as if published by its own call in order (a later event with an
// earlier one's dedup key is a duplicate; queue_max counts the batch's own events). One
// event's error is its own: it fails that event, not its neighbours.
constexpr const char* kPublishBatch = R"lua(
local T = {stream = KEYS[1], delayed = KEYS[2], delayed_env = KEYS[3], dlq = KEYS[4],
           results = KEYS[5], group = ARGV[1], ttl = ARGV[2], max = tonumber(ARGV[3])}
local queued = queued_now(T)
local replies = {}
for i = 0, (#KEYS - 5) / 3 - 1 do
  local k, a = 5 + 3 * i, 3 + 5 * i
  local ok, reply, after = pcall(publish_one, T, KEYS[k + 1], KEYS[k + 2], KEYS[k + 3],
                                 ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5],
                                 queued)
  if ok then
    replies[i + 1], queued = reply, after
  else
    local message = type(reply) == 'table' and reply.err or tostring(reply)
    if not string.match(message, '^%u+ ') then message = 'ERR ' .. message end
    replies[i + 1] = {err = message}
    queued = queued_now(T)  -- the failed event may have written part of itself
  end
end
return replies
)lua";

constexpr const char* kExtend = R"lua(
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3], -1) then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
return 1
)lua";

constexpr const char* kAck = R"lua(
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3], -1) then return 0 end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
local r = redis.call('XADD', KEYS[3], '*', 'id', ARGV[4], 'e', ARGV[5], 'r', ARGV[6],
                      'at', ARGV[7])
redis.call('SET', KEYS[2], 'done|' .. ARGV[9] .. '|' .. r)
trim(KEYS[3], ARGV[8], ARGV[10])
return 1
)lua";

constexpr const char* kRetry = R"lua(
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3], -1) then return 0 end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[4], ARGV[5])
redis.call('ZADD', KEYS[3], now_ms() + tonumber(ARGV[6]), ARGV[4])
redis.call('SET', KEYS[2], 'retrying|' .. ARGV[7] .. '|')
return 1
)lua";

constexpr const char* kDead = R"lua(
if ARGV[3] ~= '' and not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[10]) then return 0 end
if ARGV[3] ~= '' then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
  redis.call('XDEL', KEYS[1], ARGV[3])
end
local d = redis.call('XADD', KEYS[3], '*', 'id', ARGV[4], 'e', ARGV[5], 'at', ARGV[6])
redis.call('SET', KEYS[2], 'dead|' .. ARGV[8] .. '|' .. d)
trim(KEYS[3], ARGV[7], ARGV[9])
return 1
)lua";

constexpr const char* kRequeue = R"lua(
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[6]) then return 0 end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
local e = redis.call('XADD', KEYS[1], '*', 'e', ARGV[4])
redis.call('SET', KEYS[2], 'queued|' .. ARGV[5] .. '|' .. e)
return 1
)lua";

constexpr const char* kPromote = R"lua(
local now = now_ms()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, id in ipairs(ids) do
  local env = redis.call('HGET', KEYS[2], id)
  if env then
    local e = redis.call('XADD', KEYS[3], '*', 'e', env)
    local key = ARGV[2] .. id
    local idx = redis.call('GET', key)
    local gen = (idx and string.match(idx, '^%a+|(%d+)|')) or '0'
    redis.call('SET', key, 'queued|' .. gen .. '|' .. e)
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = -1
if #next == 2 then wait = math.max(tonumber(next[2]) - now, 0) end
return {#ids, wait}
)lua";

// Both act only if the event's index still reads exactly ARGV[1] (its "dead|gen|entry" when
// the caller read the dead letter), so a concurrent replay, purge or trim wins cleanly.
constexpr const char* kReplay = R"lua(
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('XDEL', KEYS[3], string.match(ARGV[1], '^dead|%d+|(.*)$'))
local entry = redis.call('XADD', KEYS[1], '*', 'e', ARGV[2])
redis.call('SET', KEYS[2], 'queued|' .. ARGV[3] .. '|' .. entry)
if ARGV[4] ~= '' then redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5]) end
return 1
)lua";

constexpr const char* kPurge = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('XDEL', KEYS[2], string.match(ARGV[1], '^dead|%d+|(.*)$'))
redis.call('DEL', KEYS[1])
return 1
)lua";

constexpr const char* kCompareAndSet = R"lua(
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if cur then return 0 end
elseif cur ~= ARGV[2] then
  return 0
end
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
)lua";


// A script's source from its parts (shared Lua functions first). Appended into one reserved
// string: GCC 12 reports a false -Warray-bounds for std::string(a) + b here.
Script make(std::string_view name, std::initializer_list<std::string_view> parts) {
  std::string source;
  std::size_t size = 0;
  for (const auto part : parts) size += part.size();
  source.reserve(size);
  for (const auto part : parts) source.append(part);
  Script script{name, std::move(source), ""};
  script.sha1 = sha1_hex(script.source);
  return script;
}

std::vector<std::string_view> call_args(std::string_view verb, const std::string& body,
                                        const std::vector<std::string_view>& keys,
                                        const std::vector<std::string_view>& args,
                                        std::string& numkeys) {
  numkeys = std::to_string(keys.size());
  std::vector<std::string_view> out{verb, body, numkeys};
  out.insert(out.end(), keys.begin(), keys.end());
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

}  // namespace

const Script& publish() {
  static const Script script = make("publish", {kPublishOne, kPublish});
  return script;
}
const Script& publish_batch() {
  static const Script script = make("publish_batch", {kPublishOne, kPublishBatch});
  return script;
}
const Script& extend() {
  static const Script script = make("extend", {kOwned, kExtend});
  return script;
}
const Script& ack() {
  static const Script script = make("ack", {kOwned, kTrim, kAck});
  return script;
}
const Script& retry() {
  static const Script script = make("retry", {kOwned, kNow, kRetry});
  return script;
}
const Script& dead() {
  static const Script script = make("dead", {kOwned, kTrim, kDead});
  return script;
}
const Script& requeue() {
  static const Script script = make("requeue", {kOwned, kRequeue});
  return script;
}
const Script& promote() {
  static const Script script = make("promote", {kNow, kPromote});
  return script;
}
const Script& replay() {
  static const Script script = make("replay", {kReplay});
  return script;
}
const Script& purge() {
  static const Script script = make("purge", {kPurge});
  return script;
}
const Script& compare_and_set() {
  static const Script script = make("compare_and_set", {kCompareAndSet});
  return script;
}

std::string format_call(const Script& script, const std::vector<std::string_view>& keys,
                        const std::vector<std::string_view>& args) {
  std::string numkeys;
  return format_command(call_args("EVALSHA", script.sha1, keys, args, numkeys));
}

void append_publish(std::string& out, const PublishTarget& target, const PublishEvent& event) {
  append_command(out, {"EVALSHA", publish().sha1, "8",
                       // KEYS
                       target.stream, event.index, event.dedup, event.delivery, target.delayed,
                       target.delayed_env, target.dlq, target.results,
                       // ARGV
                       event.envelope, event.generation, event.id, target.ttl_ms,
                       event.use_dedup ? "1" : "0", event.use_delivery ? "1" : "0",
                       target.group, target.queue_max});
}

void append_publish_batch(std::string& out, const PublishTarget& target,
                          const std::vector<const PublishEvent*>& events) {
  const std::string keys = std::to_string(5 + 3 * events.size());
  std::vector<std::string_view> args = {"EVALSHA",          publish_batch().sha1, keys,
                                        target.stream,      target.delayed,
                                        target.delayed_env, target.dlq,
                                        target.results};
  args.reserve(args.size() + 3 + 8 * events.size());
  for (const PublishEvent* event : events) {
    args.insert(args.end(), {event->index, event->dedup, event->delivery});
  }
  args.insert(args.end(), {target.group, target.ttl_ms, target.queue_max});
  for (const PublishEvent* event : events) {
    args.insert(args.end(), {event->envelope, event->generation, event->id,
                             event->use_dedup ? "1" : "0", event->use_delivery ? "1" : "0"});
  }
  append_command(out, args);
}

bool is_noscript(const RedisReply& reply) {
  return reply.is_error() && reply.str.starts_with("NOSCRIPT");
}

Status load(RedisConnection& connection, const Script& script) {
  auto loaded = connection.command({"SCRIPT", "LOAD", script.source});
  if (!loaded) return loaded.error().with_context(std::string("loading script ") + std::string(script.name));
  return ok_status();
}

Result<RedisReply> run(RedisConnection& connection, const Script& script,
                       const std::vector<std::string_view>& keys,
                       const std::vector<std::string_view>& args) {
  auto replies = connection.round_trip(format_call(script, keys, args), 1);
  if (!replies) return replies.error();
  RedisReply reply = std::move(replies->front());
  if (is_noscript(reply)) {
    // The server lost its script cache (restart, SCRIPT FLUSH): nothing ran; load and rerun.
    if (auto loaded = load(connection, script); !loaded) return loaded.error();
    replies = connection.round_trip(format_call(script, keys, args), 1);
    if (!replies) return replies.error();
    reply = std::move(replies->front());
  }
  return checked(std::move(reply), script.name);
}

}  // namespace aof::queue::redis_scripts
