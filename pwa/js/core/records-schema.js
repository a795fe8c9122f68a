// Generated from server/hearth/protocol/records.json: do not edit. After changing that file,
// run `python -m hearth.protocol.schema js > pwa/js/core/records-schema.js` (tests/test_records_schema.py checks this copy is current).
export const SCHEMA = {
 "about": "Every Hearth record type, written once. hearth-client (server/hearth/protocol/schema.py) and the app (pwa/js/core/records.js, through the generated pwa/js/core/records-schema.js) both interpret this file, and the tables of docs/protocol.md section 8 are generated from it. How to add a type: docs/records.md.",
 "version": 1,
 "blank": {
  "name": "Unicode White_Space",
  "about": "What a text field's minimum length does not count at either end: the 25 code points with the Unicode White_Space property. Not Python's str.strip() (which also strips U+001C to U+001F) and not JavaScript's trim() (which also strips U+FEFF and keeps U+0085).",
  "code_points": [
   "U+0009",
   "U+000A",
   "U+000B",
   "U+000C",
   "U+000D",
   "U+0020",
   "U+0085",
   "U+00A0",
   "U+1680",
   "U+2000",
   "U+2001",
   "U+2002",
   "U+2003",
   "U+2004",
   "U+2005",
   "U+2006",
   "U+2007",
   "U+2008",
   "U+2009",
   "U+200A",
   "U+2028",
   "U+2029",
   "U+202F",
   "U+205F",
   "U+3000"
  ]
 },
 "choices": {
  "levels": [
   "welcome",
   "ask_first",
   "not_now",
   "off_limits"
  ],
  "boundary_kinds": [
   "touch",
   "body_area",
   "topic",
   "fatigue",
   "pain",
   "side_effects",
   "stop_signal"
  ],
  "levelled_kinds": [
   "touch",
   "body_area",
   "topic"
  ],
  "journal_tags": [
   "tried",
   "worked",
   "didnt",
   "feelings"
  ],
  "times_of_day": [
   "morning",
   "afternoon",
   "evening",
   "night"
  ],
  "experiment_statuses": [
   "proposed",
   "active",
   "finished"
  ],
  "outcomes": [
   "keep",
   "adjust",
   "drop"
  ],
  "weekdays": [
   "monday",
   "tuesday",
   "wednesday",
   "thursday",
   "friday",
   "saturday",
   "sunday"
  ]
 },
 "kinds": {
  "text": "a string of min to max characters (Unicode code points); the minimum does not count blank characters at either end",
  "bool": "true or false",
  "choice": "one of a named list of choices",
  "tags": "a list drawn from a named list of choices, none repeated",
  "record_id": "a record id: 22 characters of b64u (A-Z a-z 0-9 - _)",
  "date": "YYYY-MM-DD with ASCII digits, a real day of the proleptic Gregorian calendar from year 1",
  "int": "a whole number from min to max (a JSON number with no fraction: 7 and 7.0 are the same)",
  "number": "a finite number from min to max",
  "list": "a list of at most max objects, each with only the item fields, the required ones present",
  "week": "an ISO week YYYY-Www with ASCII digits, year from 1, a week that exists in that year",
  "b64u": "b64u without padding of exactly `bytes` bytes, or of min_bytes to max_bytes"
 },
 "messages": {
  "not_object": "a record must be a JSON object of fields",
  "unknown_type": "unknown record type '{type}'; known types: {types}",
  "unknown_field": "unknown field '{field}' for {type}; allowed: {allowed}",
  "required": "'{field}' is required for {type}",
  "text": "'{name}' must be text",
  "text_range": "'{name}' must be {min} to {max} characters",
  "text_max": "'{name}' must be at most {max} characters",
  "bool": "'{name}' must be true or false",
  "choice": "'{name}' must be one of: {choices}",
  "tags": "'{name}' must be a list drawn from: {choices}",
  "tags_repeat": "'{name}' must not repeat a tag",
  "record_id": "'{name}' must be a record id (22 characters) or null",
  "date": "'{name}' must be a date like 2026-11-25",
  "date_real": "'{name}' must be a real calendar date",
  "int": "'{name}' must be a whole number from {min} to {max}",
  "number": "'{name}' must be a number from {min} to {max}",
  "list": "'{name}' must be a list of at most {max} {noun}",
  "list_item": "'{name}[{i}]' must be {shape}",
  "week": "'{name}' must be an ISO week like 2026-W48",
  "b64u": "'{name}' must be base64url of the right size",
  "op": "an update must be a JSON object with 'type', 'id', 'hlc' and 'fields'",
  "op_type": "an update's 'type' must name a record type",
  "op_id": "an update's 'id' must be a record id (22 characters)",
  "op_fixed_id": "the {type} record's id is always {id}",
  "op_hlc": "an update's 'hlc' must be a clock, as text",
  "op_base": "an update's 'base' must be an object of clocks, as text"
 },
 "op": {
  "about": "One operation in an envelope's body, {\"ops\": [...]} (section 5.4). A receiver skips an operation that does not fit, counts it, and applies the rest of the envelope. Keys not named here are ignored, so a newer app can add some.",
  "keys": {
   "type": {
    "shape": "a record type's name",
    "doc": "an unknown type does not fit (a newer app's type): skipped"
   },
   "id": {
    "shape": "record id: 22 characters of b64u",
    "doc": "made by the author (`couple`: always its fixed id)"
   },
   "hlc": {
    "shape": "string",
    "doc": "the writer's clock; compared as a string"
   },
   "fields": {
    "shape": "object",
    "doc": "the fields written; each must fit the type's table below"
   },
   "base": {
    "shape": "object of field name to clock; absent or `null` for none",
    "doc": "the clocks of the safety values the writer saw and replaces (8.9)"
   }
  }
 },
 "types": {
  "journal": {
   "section": "8.1",
   "owned": true,
   "sent": "while_shared",
   "fields": {
    "text": {
     "kind": "text",
     "min": 1,
     "max": 10000,
     "required": true,
     "doc": "what was tried and how it felt, in the author's words"
    },
    "tags": {
     "kind": "tags",
     "choices": "journal_tags",
     "default": [],
     "doc": ""
    },
    "feeling_after": {
     "kind": "text",
     "max": 200,
     "null": true,
     "doc": ""
    },
    "shared": {
     "kind": "bool",
     "default": false,
     "doc": "`false` keeps it a private draft: it is not sent at all (taking it back: 8.11)"
    },
    "reply_to": {
     "kind": "record_id",
     "null": true,
     "doc": "a reply to the partner's entry"
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "example": {
    "text": "We tried a slow evening walk and held hands. It felt easy and close.",
    "tags": [
     "tried",
     "worked"
    ],
    "feeling_after": "calm",
    "shared": true
   }
  },
  "boundary": {
   "section": "8.2",
   "owned": true,
   "sent": "always",
   "fields": {
    "kind": {
     "kind": "choice",
     "choices": "boundary_kinds",
     "required": true,
     "doc": ""
    },
    "label": {
     "kind": "text",
     "min": 1,
     "max": 200,
     "required": true,
     "doc": "e.g. \"hand on the back\", \"scar area\", \"the word 'pause'\""
    },
    "level": {
     "kind": "choice",
     "choices": "levels",
     "null": true,
     "merge": "cautious",
     "doc": "required or absent by `kind`, as below"
    },
    "note": {
     "kind": "text",
     "max": 2000,
     "null": true,
     "doc": ""
    },
    "during": {
     "kind": "record_id",
     "null": true,
     "doc": "one of the author's `period` records: applies only then; `null` means always"
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "checks": [
    {
     "check": "only_when",
     "field": "level",
     "when": "kind",
     "in": "levelled_kinds",
     "missing": "'level' is required for a {value} boundary",
     "present": "a {value} boundary has a note, not a level",
     "doc": "`level` is required when `kind` is `touch`, `body_area` or `topic`, and absent otherwise"
    }
   ],
   "example": {
    "kind": "touch",
    "label": "a hand on my back",
    "level": "welcome",
    "note": "Gentle is best while the scar heals."
   }
  },
  "period": {
   "section": "8.2.1",
   "owned": true,
   "sent": "always",
   "fields": {
    "label": {
     "kind": "text",
     "min": 1,
     "max": 100,
     "required": true,
     "doc": ""
    },
    "starts_on": {
     "kind": "date",
     "required": true,
     "doc": ""
    },
    "ends_on": {
     "kind": "date",
     "null": true,
     "doc": "`null` while it lasts"
    },
    "note": {
     "kind": "text",
     "max": 500,
     "null": true,
     "doc": ""
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "checks": [
    {
     "check": "not_before",
     "field": "ends_on",
     "other": "starts_on",
     "message": "'ends_on' must not be before 'starts_on'",
     "doc": "`ends_on` is not before `starts_on`"
    }
   ],
   "example": {
    "label": "chemo week",
    "starts_on": "$today",
    "ends_on": null,
    "note": "Tired and sore; gentle is everything."
   }
  },
  "experiment": {
   "section": "8.3",
   "owned": true,
   "sent": "always",
   "fields": {
    "title": {
     "kind": "text",
     "min": 1,
     "max": 200,
     "required": true,
     "doc": "the one small thing"
    },
    "description": {
     "kind": "text",
     "max": 2000,
     "null": true,
     "doc": ""
    },
    "starts_on": {
     "kind": "date",
     "required": true,
     "doc": ""
    },
    "days": {
     "kind": "int",
     "min": 1,
     "max": 60,
     "default": 7,
     "doc": "the reassessment is due on `starts_on + days`"
    },
    "status": {
     "kind": "choice",
     "choices": "experiment_statuses",
     "default": "proposed",
     "doc": ""
    },
    "outcome": {
     "kind": "choice",
     "choices": "outcomes",
     "null": true,
     "doc": "what the couple decided"
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "example": {
    "title": "Ten minutes of lying close before sleep, no expectations",
    "description": "Phones away, lights low. Just closeness.",
    "starts_on": "$today",
    "days": 7,
    "status": "active"
   }
  },
  "energy": {
   "section": "8.4",
   "owned": true,
   "sent": "while_shared",
   "fields": {
    "date": {
     "kind": "date",
     "required": true,
     "doc": ""
    },
    "time_of_day": {
     "kind": "choice",
     "choices": "times_of_day",
     "required": true,
     "doc": ""
    },
    "energy": {
     "kind": "int",
     "min": 0,
     "max": 10,
     "null": true,
     "doc": ""
    },
    "pain": {
     "kind": "int",
     "min": 0,
     "max": 10,
     "null": true,
     "doc": ""
    },
    "fatigue": {
     "kind": "int",
     "min": 0,
     "max": 10,
     "null": true,
     "doc": ""
    },
    "mood": {
     "kind": "int",
     "min": 0,
     "max": 10,
     "null": true,
     "doc": ""
    },
    "sleep_hours": {
     "kind": "number",
     "min": 0,
     "max": 24,
     "null": true,
     "doc": ""
    },
    "note": {
     "kind": "text",
     "max": 500,
     "null": true,
     "doc": ""
    },
    "shared": {
     "kind": "bool",
     "default": false,
     "doc": "the log stays on the phone until shared (taking it back: 8.11)"
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "example": {
    "date": "$today",
    "time_of_day": "evening",
    "energy": 6,
    "pain": 2,
    "fatigue": 4,
    "mood": 7,
    "sleep_hours": 7.5,
    "shared": true
   }
  },
  "appointment": {
   "section": "8.5",
   "owned": true,
   "sent": "while_shared",
   "fields": {
    "title": {
     "kind": "text",
     "min": 1,
     "max": 200,
     "required": true,
     "doc": "e.g. \"check-up with the nurse\""
    },
    "date": {
     "kind": "date",
     "null": true,
     "doc": ""
    },
    "questions": {
     "kind": "list",
     "max": 50,
     "noun": "questions",
     "default": [],
     "shape": "an object with 'text' and, once you have one, 'answer'",
     "item": {
      "text": {
       "kind": "text",
       "min": 1,
       "max": 500,
       "required": true
      },
      "answer": {
       "kind": "text",
       "max": 2000,
       "null": true
      }
     },
     "doc": "`answer` may be left out"
    },
    "next_date": {
     "kind": "date",
     "null": true,
     "doc": ""
    },
    "shared": {
     "kind": "bool",
     "default": true,
     "doc": ""
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "example": {
    "title": "Check-up with the oncology nurse",
    "date": "2026-12-02",
    "questions": [
     {
      "text": "Is it safe to be intimate during this cycle?",
      "answer": null
     },
     {
      "text": "What helps with vaginal dryness from the medication?"
     }
    ],
    "shared": true
   }
  },
  "gratitude": {
   "section": "8.6",
   "owned": true,
   "sent": "while_shared",
   "fields": {
    "text": {
     "kind": "text",
     "min": 1,
     "max": 2000,
     "required": true,
     "doc": ""
    },
    "date": {
     "kind": "date",
     "required": true,
     "doc": ""
    },
    "shared": {
     "kind": "bool",
     "default": true,
     "doc": ""
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "example": {
    "text": "You made tea without being asked and sat with me.",
    "date": "$today",
    "shared": true
   }
  },
  "reassessment": {
   "section": "8.7",
   "owned": true,
   "sent": "always",
   "fields": {
    "experiment": {
     "kind": "record_id",
     "null": true,
     "required": true,
     "doc": "the experiment looked back on"
    },
    "felt": {
     "kind": "text",
     "max": 2000,
     "null": true,
     "doc": "how it felt"
    },
    "comfort": {
     "kind": "int",
     "min": 0,
     "max": 10,
     "null": true,
     "doc": ""
    },
    "decision": {
     "kind": "choice",
     "choices": "outcomes",
     "required": true,
     "doc": ""
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "example": {
    "experiment": "q3Vf8kT2mLx0bN7wZpR4cA",
    "felt": "Easier than I expected. The second night I fell asleep holding your hand.",
    "comfort": 8,
    "decision": "keep"
   }
  },
  "checkin": {
   "section": "8.8",
   "owned": true,
   "sent": "always",
   "fields": {
    "week": {
     "kind": "week",
     "required": true,
     "doc": "e.g. `2026-W48`; `2025-W53` does not exist"
    },
    "sealed": {
     "kind": "b64u",
     "min_bytes": 28,
     "max_bytes": 20000,
     "required": true,
     "doc": "`n \u2016 AEAD(K, n, answers, ad)`, section 10"
    },
    "commitment": {
     "kind": "b64u",
     "bytes": 32,
     "required": true,
     "doc": "`H( canon(\"hearth/v1/checkin-key\", K) )`"
    },
    "key": {
     "kind": "b64u",
     "bytes": 32,
     "null": true,
     "doc": "`K`, sent later as its own update, only when fair"
    },
    "deleted": {
     "kind": "bool",
     "doc": "tombstone"
    }
   },
   "example_is": "what `hearth-client put checkin` takes (the week and the answers), not the sealed record",
   "example": {
    "week": "$this_week",
    "answers": {
     "needs": "More time just lying close, without it having to lead anywhere.",
     "felt_good": "Your hand on my back on Sunday morning.",
     "try_next": "A slow bath together one evening.",
     "i_statement": "I feel shy when we rush, and I'd like us to take our time."
    }
   }
  },
  "couple": {
   "section": "8.10",
   "owned": false,
   "id": "couple-settings-record",
   "sent": "always",
   "fields": {
    "checkin_day": {
     "kind": "choice",
     "choices": "weekdays",
     "doc": "the day the couple likes to check in; the app shows `sunday` until one of them chooses"
    }
   },
   "example": {
    "checkin_day": "sunday"
   }
  }
 }
};
export default SCHEMA;
