#pragma once

// Projections name events' interned strings as their own (events/symbol.h).

#include "events/symbol.h"

namespace mentorlog::projections::internal {
using events::FindByText;
using events::Symbol;
}  // namespace mentorlog::projections::internal
