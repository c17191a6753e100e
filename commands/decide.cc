#include "commands/decide.h"

#include <algorithm>

#include "commands/command_spec.h"
#include "commands/decider_support.h"

namespace mentorlog::commands {

std::expected<std::vector<DomainEvent>, Rejection> Decide(const WriteState& state,
                                                          const Command& command,
                                                          const Context& context) {
  // The role gate comes from the same table the decoder and the docs use.
  // CommandSpecs() is in variant order.
  const CommandSpec& spec = CommandSpecs()[command.index()];
  if (std::ranges::find(spec.roles, context.actor.role) == spec.roles.end()) {
    return internal::Reject(ErrorCode::kForbidden,
                            "the role '" + context.actor.role + "' may not send " + spec.name);
  }
  return std::visit([&](const auto& c) { return internal::DecideFor(state, c, context); }, command);
}

}  // namespace mentorlog::commands
