#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (tests/fuzz/corpus/<target>/): a
handful of real inputs, each named after what it is. Run it again after a
change of format; libFuzzer grows its own corpus from these elsewhere.

Tokens are signed with the fuzz targets' secret ("fuzz-secret") and expire in
2100; stored records are sealed as events/envelope.cc does (RFC 8785 via the
independent canonicaliser of tests/events/jcs_reference.py).
"""
import base64
import hashlib
import hmac
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "events"))
from jcs_reference import canonical  # noqa: E402

SECRET = b"fuzz-secret"
EXP = 4102444800  # 2100-01-01


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(sub, role, exp=EXP, nbf=None, alg="HS256"):
    header = b64(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"sub": sub, "role": role, "exp": exp}
    if nbf is not None:
        claims["nbf"] = nbf
    payload = b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = header + "." + payload
    signature = hmac.new(SECRET, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


ADMIN, MENTOR, MENTEE, AUDITOR = (token("A-1", "admin"), token("M-1", "mentor"),
                                  token("S-1", "mentee"), token("AU-1", "auditor"))


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- command_decode_fuzz: actor byte (0 admin, 1 M-1, 2 M-2, 3 S-1, 4 S-2, 5 AU-1),
# the command name, a newline, the body.
COMMANDS = [
    (0, "RegisterMentor", {"mentor_id": "M-3", "name": "Kavya", "department": "MECH",
                           "email": "kavya@example.edu", "expertise": ["robotics"],
                           "max_mentees": 10}),
    (0, "EnrollStudent", {"student_id": "S-4", "roll_number": "21ME004", "name": "Arun",
                          "department": "MECH", "year": 2, "phone": "+91 90000 00000",
                          "guardian": {"name": "Mala", "phone": "+91 98400 00000"}}),
    (3, "UpdateStudentProfile", {"student_id": "S-1", "changes": {"phone": "12345"}}),
    (0, "AssignMentor", {"student_id": "S-3", "mentor_id": "M-1"}),
    (3, "RequestMentorChange", {"request_id": "RQ-1", "student_id": "S-1",
                                "reason": "Different field", "preferred_mentor_id": "M-2"}),
    (0, "DecideMentorChange", {"request_id": "RQ-1", "approve": True, "new_mentor_id": "M-2"}),
    (1, "ScheduleMeeting", {"meeting_id": "MT-9", "mentor_id": "M-1", "student_ids": ["S-1"],
                            "title": "Project review", "mode": "offline", "location": "Lab 2",
                            "start": "2026-11-25T09:00:00Z", "end": "2026-11-25T10:00:00Z"}),
    (3, "AcceptMeeting", {"meeting_id": "MT-1"}),
    (3, "RescheduleMeeting", {"meeting_id": "MT-1", "start": "2026-11-24T12:00:00Z",
                              "end": "2026-11-24T13:00:00Z", "reason": "Lab"}),
    (3, "DeclineMeeting", {"meeting_id": "MT-1", "reason": "Exam"}),
    (1, "CancelMeeting", {"meeting_id": "MT-1", "reason": "Travel"}),
    (3, "AddAgendaItems", {"meeting_id": "MT-1", "items": ["Internship", "Grades"]}),
    (1, "RecordObservation", {"meeting_id": "MT-2", "points_for_mentee": "Revise DS",
                              "next_action_items": ["Mock test", "Read CLRS ch. 2"],
                              "observations": "Engaged", "next_follow_up_date": "2026-12-01",
                              "resources": ["https://example.edu/ds"]}),
    (1, "ValidateMeeting", {"meeting_id": "MT-2", "occurred": True, "note": "Good"}),
    (3, "CompleteActionItem", {"meeting_id": "MT-2", "item": 0}),
    (1, "RecordAttendance", {"course_id": "CS101", "date": "2026-11-21", "period": 2,
                             "entries": [{"student_id": "S-1", "status": "absent"},
                                         {"student_id": "S-2", "status": "on_duty"}]}),
    (1, "CorrectAttendance", {"course_id": "CS101", "date": "2026-11-20", "period": 1,
                              "student_id": "S-2", "status": "present", "reason": "Late entry"}),
    (1, "AcknowledgeAlert", {"alert_id": "alert-1", "action": "contacted_guardian",
                             "note": "Called"}),
    (3, "RequestLeave", {"leave_id": "L-2", "student_id": "S-1", "kind": "leave",
                         "from_date": "2026-12-01", "to_date": "2026-12-02",
                         "reason": "Family"}),
    (1, "ApproveLeave", {"leave_id": "L-1", "remark": "OK"}),
    (1, "RejectLeave", {"leave_id": "L-1", "remark": "Exams"}),
    (3, "CancelLeave", {"leave_id": "L-1"}),
]
for actor, name, body in COMMANDS:
    write("command_decode_fuzz", name, bytes([0x30 + actor]) + (name + "\n").encode() +
          json.dumps(body).encode())
write("command_decode_fuzz", "not-an-object", b"0AssignMentor\n[\"S-1\",\"M-1\"]")

# --- envelope_fuzz: a chain of stored records, as Seal writes them.
def seal(envelope):
    without = canonical(envelope)
    envelope["hash"] = hashlib.sha256(without.encode()).hexdigest()
    return canonical(envelope)


prev = "0" * 64
RECORDS = [
    ("student-S-1", "StudentEnrolled", {"student_id": "S-1", "roll_number": "21CS001",
                                        "name": "Priyá Ś", "department": "CSE", "year": 2}),
    ("meeting-MT-1", "MeetingScheduled",
     {"meeting_id": "MT-1", "mentor_id": "M-1", "student_ids": ["S-1"], "title": "Check-in",
      "mode": "online", "start": "2026-11-24T10:00:00.000Z", "end": "2026-11-24T11:00:00.000Z"}),
    ("student-S-1", "AttendanceAlertRaised",
     {"alert_id": "alert-1", "student_id": "S-1", "level": 60, "percentage": 58.33}),
]
for position, (stream, type_, data) in enumerate(RECORDS, start=1):
    envelope = {"position": position, "stream": stream, "version": 1, "type": type_,
                "schema": 1, "id": "0f8e2d1c-5b4a-4c3d-9e2f-1a0b9c8d7e6f",
                "time": "2026-11-23T08:00:00.123Z", "actor": {"id": "A-1", "role": "admin"},
                "command_id": "c-%d" % position, "correlation_id": "c-%d" % position,
                "causation_id": "c-%d" % position, "data": data, "prev_hash": prev}
    record = seal(envelope)
    prev = envelope["hash"]
    write("envelope_fuzz", "%d-%s" % (position, type_), record)

# --- jwt_fuzz: real tokens; the leading bytes also seed the signing property.
write("jwt_fuzz", "admin", ADMIN)
write("jwt_fuzz", "mentor", MENTOR)
write("jwt_fuzz", "mentee", MENTEE)
write("jwt_fuzz", "auditor", AUDITOR)
write("jwt_fuzz", "with-nbf", token("M-2", "mentor", nbf=1700000000))
write("jwt_fuzz", "expired", token("A-1", "admin", exp=1700000000))
write("jwt_fuzz", "alg-none", token("A-1", "admin", alg="none"))

# --- http_request_fuzz: requests as they arrive on a connection.
def request(method, target, auth=None, body=None, headers=()):
    lines = ["%s %s HTTP/1.1" % (method, target), "Host: localhost"]
    if auth:
        lines.append("Authorization: Bearer " + auth)
    lines += list(headers)
    if body is not None:
        lines += ["Content-Type: application/json", "Content-Length: %d" % len(body.encode())]
    return "\r\n".join(lines) + "\r\n\r\n" + (body or "")


SCHEDULE = json.dumps({"meeting_id": "MT-7", "mentor_id": "M-1", "student_ids": ["S-1"],
                       "title": "Review", "mode": "online", "start": "2026-11-27T10:00:00Z",
                       "end": "2026-11-27T11:00:00Z"})
HTTP = {
    "healthz": request("GET", "/healthz"),
    "readyz": request("GET", "/readyz"),
    "metrics": request("GET", "/metrics"),
    "openapi": request("GET", "/v1/openapi.json", ADMIN),
    "command": request("POST", "/v1/commands/ScheduleMeeting", MENTOR, SCHEDULE,
                       ["Idempotency-Key: k-1", "If-Match: 0"]),
    "command-mentee": request("POST", "/v1/commands/RequestLeave", MENTEE,
                              json.dumps({"leave_id": "L-9", "student_id": "S-1",
                                          "kind": "on_duty", "from_date": "2026-12-03",
                                          "to_date": "2026-12-03", "reason": "Symposium"})),
    "view-key": request("GET", "/v1/views/attendance/S-1?min_position=3", MENTEE),
    "view-list": request("GET", "/v1/views/my-mentees", MENTOR),
    "view-as-of": request("GET", "/v1/views/students/S-1?as_of=2026-11-23T08:00:00Z", AUDITOR),
    "view-meetings": request("GET", "/v1/views/meetings?mentor_id=M-1&status=proposed", ADMIN),
    "events": request("GET", "/v1/events?after=0&limit=5&type=StudentEnrolled&actor=A-1",
                      AUDITOR),
    "events-time": request("GET", "/v1/events?from_time=2026-11-23T00%3A00%3A00Z", ADMIN),
    "stream": request("GET", "/v1/streams/student-S-1?from_version=1", MENTEE),
    "audit-head": request("GET", "/v1/audit/head", AUDITOR),
    "admin-projections": request("GET", "/v1/admin/projections", ADMIN),
    "rebuild": request("POST", "/v1/admin/projections/attendance/rebuild", ADMIN, ""),
    "websocket": request("GET", "/v1/ws?access_token=" + MENTEE, None, None,
                         ["Upgrade: websocket", "Connection: Upgrade",
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                          "Sec-WebSocket-Version: 13"]),
    "pipelined": request("GET", "/healthz") + request("GET", "/v1/audit/head", ADMIN) +
                 request("GET", "/v1/views/leaves?status=pending", MENTOR,
                         None, ["Connection: close"]),
    "chunked": ("POST /v1/commands/CancelLeave HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                MENTEE + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                "\r\n5\r\n{\"lea\r\n12\r\nve_id\": \"L-1\"}\r\n0\r\n\r\n"),
}
for name, text in HTTP.items():
    write("http_request_fuzz", name, text)

# --- ws_message_fuzz: client frames of API.md.
WS = {
    "subscribe": {"op": "subscribe", "id": "s1", "after": 1000, "filter": {"student_id": "S-1"}},
    "subscribe-types": {"op": "subscribe", "id": "s2", "filter": {"stream": "meeting-MT-1",
                                                                  "types": ["MeetingScheduled"],
                                                                  "mentor_id": "M-1"}},
    "unsubscribe": {"op": "unsubscribe", "id": "s1"},
    "watch": {"op": "watch", "id": "w1", "view": "mentee-timeline", "key": "S-1"},
    "watch-params": {"op": "watch", "id": "w2", "view": "meetings",
                     "params": {"status": "proposed", "limit": 10}},
}
for name, message in WS.items():
    write("ws_message_fuzz", name, json.dumps(message))
