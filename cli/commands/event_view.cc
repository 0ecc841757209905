#include "cli/commands/event_view.h"

#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/commands/text_format.h"
#include "sidecar/admin.h"

namespace aof::cli {
namespace {

void print_json(std::ostream& out, const queue::EventRecord& record, bool with_envelope) {
  nlohmann::json j = sidecar::event_record_json(record);
  if (with_envelope) j["envelope"] = event::to_json_value(record.envelope);
  out << j.dump(2) << "\n";
}

void print_history(std::ostream& out, const event::Envelope& e) {
  if (e.history.empty()) {
    out << "history:    (no failed attempts)\n";
    return;
  }
  out << "history:\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& h : e.history) {
    rows.push_back({"  " + std::to_string(h.attempt), h.at, h.worker, h.error_class, h.message});
  }
  print_table(out, {"  ATTEMPT", "AT", "WORKER", "ERROR", "MESSAGE"}, rows);
}

void print_replays(std::ostream& out, const event::Envelope& e) {
  if (e.replays.empty()) return;
  out << "replays:\n";
  for (const auto& r : e.replays) {
    out << "  generation " << r.from_generation << " -> " << r.from_generation + 1 << " by "
        << r.by << " at " << r.at << (r.changes.empty() ? "" : "; " + r.changes) << "\n";
  }
}

}  // namespace

void print_event(std::ostream& out, const queue::EventRecord& record, bool json,
                 bool with_envelope) {
  if (json) return print_json(out, record, with_envelope);
  const auto& e = record.envelope;
  out << "event:      " << e.id << " (generation " << e.generation << ")\n"
      << "status:     " << queue::to_string(record.state) << "\n"
      << "delivery:   " << (e.delivery_id.empty() ? "-" : e.delivery_id) << "\n"
      << "platform:   " << e.platform << " " << e.event
      << (e.action.empty() ? "" : "." + e.action) << (e.tenant.empty() ? "" : " (" + e.tenant + ")")
      << "\n"
      << "target:     " << event::to_string(e.target.kind) << " " << e.target.name
      << (e.trigger.empty() ? "" : " (trigger " + e.trigger + ")") << "\n"
      << "attempts:   " << e.attempt << "\n"
      << "received:   " << e.received_at << "\n";
  if (!record.finished_at.empty()) {
    out << (record.state == queue::EventState::kDead ? "failed:     " : "finished:   ")
        << record.finished_at << "\n";
  }
  print_history(out, e);
  print_replays(out, e);
  if (!record.result_json.empty()) {
    const auto result = nlohmann::json::parse(record.result_json, nullptr, false);
    out << "result:\n" << (result.is_discarded() ? record.result_json : result.dump(2)) << "\n";
  }
  if (with_envelope && !e.body.empty()) {
    out << "body:       " << e.body.size() << " bytes (--json shows it)\n";
  }
}

}  // namespace aof::cli
