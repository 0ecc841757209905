#pragma once
// The `aof dlq` verbs defined outside dlq.cc, which adds them under `dlq`.

namespace CLI {
class App;
}

namespace aof::cli {

void add_dlq_replay(CLI::App& dlq, int& exit_code);  // dlq_replay.cc
void add_dlq_purge(CLI::App& dlq, int& exit_code);   // dlq_purge.cc

}  // namespace aof::cli
