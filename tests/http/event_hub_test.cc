// The EventHub: the Audience it keeps and what it fans out to subscribers.

#include "http/event_hub.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mentorlog::http {
namespace {

using ::testing::ElementsAre;

events::Envelope Committed(std::uint64_t position, std::string stream, std::string type,
                           nlohmann::json data) {
  events::Envelope e;
  e.position = position;
  e.version = 1;
  e.stream = std::move(stream);
  e.type = std::move(type);
  e.SetData(std::move(data));
  return e;
}

store::CommittedBatch Batch(std::vector<events::Envelope> events) {
  return std::make_shared<const std::vector<events::Envelope>>(std::move(events));
}

// Records the batches the hub fans out.
class Recorder final : public HubSubscriber {
 public:
  void OnCommitted(PublishedBatch batch) override {
    std::lock_guard lock(mu_);
    batches_.push_back(std::move(batch));
    cv_.notify_all();
  }
  void OnViewsAdvanced(std::uint64_t) override {}

  std::vector<PublishedBatch> WaitFor(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return batches_.size() >= n; });
    return batches_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<PublishedBatch> batches_;
};

TEST(EventHubTest, TheReadRulesKnowAPublishedAssignmentAsSoonAsPublishReturns) {
  // The store acknowledges an append after its commit hook returns, so a client
  // told that AssignMentor committed may subscribe to the mentee straight away.
  Audience audience;
  EventHub hub(audience);
  for (int i = 0; i < 200; ++i) {
    const std::string student = "S-" + std::to_string(i);
    hub.Publish(
        Batch({Committed(static_cast<std::uint64_t>(i + 1), "student-" + student, "MentorAssigned",
                         {{"student_id", student}, {"mentor_id", "M-1"}})}));
    ASSERT_EQ(audience.MentorOf(student), "M-1") << "after publishing position " << i + 1;
    ASSERT_TRUE(audience.MayReadStream({"M-1", "mentor"}, "student-" + student));
  }
}

TEST(EventHubTest, FansOutEachEventWithItsJsonAndItsReaders) {
  Audience audience;
  EventHub hub(audience);
  const auto recorder = std::make_shared<Recorder>();
  hub.Join(recorder);
  hub.Publish(Batch(
      {Committed(1, "student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
       Committed(2, "meeting-MT-1", "MeetingScheduled",
                 {{"mentor_id", "M-2"}, {"student_ids", {"S-1"}}})}));
  const auto batches = recorder->WaitFor(1);
  ASSERT_EQ(batches.size(), 1u);
  const auto& published = *batches.front();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[1].envelope.position, 2u);
  EXPECT_EQ(nlohmann::json::parse(published[1].json).at("type"), "MeetingScheduled");
  EXPECT_THAT(published[1].readers.students, ElementsAre("S-1"));
  EXPECT_THAT(published[1].readers.mentors, ElementsAre("M-2", "M-1"));
  EXPECT_EQ(hub.Position(), 2u);
}

}  // namespace
}  // namespace mentorlog::http
