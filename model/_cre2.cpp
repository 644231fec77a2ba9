// RE2 searches called straight from Python, for the log scanner's hot loop.
//
// The scanner asks google-re2 (a pybind11 module) for the next match tens of times per log; each
// call spends more in pybind11's argument dispatch than RE2 spends searching 20 KB. These types
// hold the same patterns compiled by the system's RE2 library and take the same calls as
// google-re2's `_re2.RE2.Match` and `_re2.Set.Match`, through CPython's fast calling convention.
// `model._fast_re2` uses them when this module was built (the RE2 headers were found) and they
// compile the pattern; otherwise the google-re2 methods, which give the same answers.
//
// Text is bytes. A search over more than `kReleaseGilBytes` releases the GIL, as a long search
// in google-re2 does, so that threads classifying large logs do not hold each other up.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <new>
#include <string>
#include <vector>

namespace {

constexpr Py_ssize_t kReleaseGilBytes = 64 * 1024;

struct Config {
    long long max_mem = 8 << 20;  // RE2's own default
    int case_sensitive = 1;
    int never_capture = 0;
};

re2::RE2::Options make_options(const Config& config) {
    re2::RE2::Options options;
    options.set_max_mem(config.max_mem);
    options.set_case_sensitive(config.case_sensitive != 0);
    options.set_never_capture(config.never_capture != 0);
    options.set_log_errors(false);
    return options;
}

// The constructors' arguments: the pattern (or patterns), then the options, keyword-only.
int parse_arguments(PyObject* args, PyObject* kwargs, const char* format, PyObject** first,
                    Config* config) {
    static const char* keywords[] = {"", "max_mem", "case_sensitive", "never_capture", nullptr};
    return PyArg_ParseTupleAndKeywords(args, kwargs, format, const_cast<char**>(keywords), first,
                                       &config->max_mem, &config->case_sensitive,
                                       &config->never_capture)
               ? 0
               : -1;
}

// `pos` and `endpos` clipped to the text as google-re2's wrapper clips them; false when
// pos > endpos (nothing to search).
bool clip(Py_ssize_t size, Py_ssize_t* pos, Py_ssize_t* endpos) {
    *pos = std::max<Py_ssize_t>(0, std::min(*pos, size));
    *endpos = std::max<Py_ssize_t>(0, std::min(*endpos, size));
    return *pos <= *endpos;
}

// ---------------------------------------------------------------------------------------------
// Regex: one pattern.

struct RegexObject {
    PyObject_HEAD
    re2::RE2* impl;
};

// Both types own one RE2 object (`impl`), deleted with them.
template <typename Object>
void dealloc(PyObject* self) {
    delete reinterpret_cast<Object*>(self)->impl;
    Py_TYPE(self)->tp_free(self);
}

// ((start, end),), the shape google-re2's Match returns for the whole match.
PyObject* span_result(Py_ssize_t start, Py_ssize_t end) {
    PyObject* span = PyTuple_New(2);
    if (span == nullptr) return nullptr;
    PyObject* first = PyLong_FromSsize_t(start);
    PyObject* last = PyLong_FromSsize_t(end);
    if (first == nullptr || last == nullptr) {
        Py_XDECREF(first);
        Py_XDECREF(last);
        Py_DECREF(span);
        return nullptr;
    }
    PyTuple_SET_ITEM(span, 0, first);
    PyTuple_SET_ITEM(span, 1, last);
    PyObject* spans = PyTuple_New(1);
    if (spans == nullptr) {
        Py_DECREF(span);
        return nullptr;
    }
    PyTuple_SET_ITEM(spans, 0, span);
    return spans;
}

// The value of an anchor argument. google-re2's anchors are pybind11 enum members, whose
// `__index__` goes through pybind11's dispatcher (about as costly as a search); they are
// singletons, so the last one seen is remembered with its value.
PyObject* last_anchor = nullptr;
Py_ssize_t last_anchor_value = 0;

Py_ssize_t anchor_of(PyObject* anchor) {
    if (PyLong_CheckExact(anchor)) return PyLong_AsSsize_t(anchor);
    if (anchor == last_anchor) return last_anchor_value;
    Py_ssize_t value = PyNumber_AsSsize_t(anchor, PyExc_OverflowError);
    if (value == -1 && PyErr_Occurred()) return -1;
    Py_INCREF(anchor);
    Py_XSETREF(last_anchor, anchor);
    last_anchor_value = value;
    return value;
}

// Match(anchor, text, pos, endpos) -> ((start, end),): the span of the whole match, or
// ((-1, -1),) when there is none. The anchor is 0 (unanchored), 1 (at pos) or 2 (both ends);
// google-re2's enum values are accepted as well.
PyObject* regex_match(RegexObject* self, PyObject* const* args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "Match() takes exactly 4 arguments");
        return nullptr;
    }
    Py_ssize_t anchor_value = anchor_of(args[0]);
    if (anchor_value == -1 && PyErr_Occurred()) return nullptr;
    if (anchor_value < 0 || anchor_value > 2) {
        PyErr_SetString(PyExc_ValueError, "anchor must be 0, 1 or 2");
        return nullptr;
    }
    if (!PyBytes_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "text must be bytes");
        return nullptr;
    }
    Py_ssize_t pos = PyNumber_AsSsize_t(args[2], PyExc_OverflowError);
    if (pos == -1 && PyErr_Occurred()) return nullptr;
    Py_ssize_t endpos = PyNumber_AsSsize_t(args[3], PyExc_OverflowError);
    if (endpos == -1 && PyErr_Occurred()) return nullptr;
    const char* data = PyBytes_AS_STRING(args[1]);
    Py_ssize_t size = PyBytes_GET_SIZE(args[1]);
    if (!clip(size, &pos, &endpos)) return span_result(-1, -1);
    // The whole text, not its first endpos bytes: the bytes around pos and endpos are context
    // (`\b` at endpos looks at the byte after it), as in google-re2.
    re2::StringPiece text(data, static_cast<size_t>(size));
    re2::StringPiece found;
    auto anchor = static_cast<re2::RE2::Anchor>(anchor_value);
    bool matched;
    if (endpos - pos > kReleaseGilBytes) {
        Py_BEGIN_ALLOW_THREADS
        matched = self->impl->Match(text, static_cast<size_t>(pos), static_cast<size_t>(endpos),
                                     anchor, &found, 1);
        Py_END_ALLOW_THREADS
    } else {
        matched = self->impl->Match(text, static_cast<size_t>(pos), static_cast<size_t>(endpos),
                                     anchor, &found, 1);
    }
    if (!matched) return span_result(-1, -1);
    Py_ssize_t start = found.data() - data;
    return span_result(start, start + static_cast<Py_ssize_t>(found.size()));
}

PyObject* regex_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
    PyObject* pattern;
    Config config;
    if (parse_arguments(args, kwargs, "S|$Lpp:RE2", &pattern, &config) < 0) return nullptr;
    auto* self = reinterpret_cast<RegexObject*>(type->tp_alloc(type, 0));
    if (self == nullptr) return nullptr;
    re2::StringPiece source(PyBytes_AS_STRING(pattern),
                            static_cast<size_t>(PyBytes_GET_SIZE(pattern)));
    self->impl = new (std::nothrow) re2::RE2(source, make_options(config));
    if (self->impl == nullptr) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    if (!self->impl->ok()) {
        PyErr_SetString(PyExc_ValueError, self->impl->error().c_str());
        Py_DECREF(self);
        return nullptr;
    }
    return reinterpret_cast<PyObject*>(self);
}

PyMethodDef regex_methods[] = {
    {"Match", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)(void)>(regex_match)),
     METH_FASTCALL, "Match(anchor, text, pos, endpos) -> ((start, end),)"},
    {nullptr, nullptr, 0, nullptr},
};

PyTypeObject RegexType = {PyVarObject_HEAD_INIT(nullptr, 0)};

// ---------------------------------------------------------------------------------------------
// Set: several patterns searched at once.

struct SetObject {
    PyObject_HEAD
    re2::RE2::Set* impl;
};

// Match(text) -> list of the indices of the patterns found in text, in increasing order.
PyObject* set_match(SetObject* self, PyObject* text) {
    if (!PyBytes_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be bytes");
        return nullptr;
    }
    re2::StringPiece piece(PyBytes_AS_STRING(text), static_cast<size_t>(PyBytes_GET_SIZE(text)));
    std::vector<int> found;
    bool matched;
    if (PyBytes_GET_SIZE(text) > kReleaseGilBytes) {
        Py_BEGIN_ALLOW_THREADS
        matched = self->impl->Match(piece, &found);
        Py_END_ALLOW_THREADS
    } else {
        matched = self->impl->Match(piece, &found);
    }
    if (!matched) found.clear();
    std::sort(found.begin(), found.end());
    PyObject* out = PyList_New(static_cast<Py_ssize_t>(found.size()));
    if (out == nullptr) return nullptr;
    for (size_t i = 0; i < found.size(); ++i) {
        PyObject* index = PyLong_FromLong(found[i]);
        if (index == nullptr) {
            Py_DECREF(out);
            return nullptr;
        }
        PyList_SET_ITEM(out, static_cast<Py_ssize_t>(i), index);
    }
    return out;
}

PyObject* set_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
    PyObject* patterns;
    Config config;
    if (parse_arguments(args, kwargs, "O|$Lpp:Set", &patterns, &config) < 0) return nullptr;
    PyObject* sequence = PySequence_Fast(patterns, "patterns must be a sequence of bytes");
    if (sequence == nullptr) return nullptr;
    auto* self = reinterpret_cast<SetObject*>(type->tp_alloc(type, 0));
    if (self == nullptr) {
        Py_DECREF(sequence);
        return nullptr;
    }
    self->impl = new (std::nothrow) re2::RE2::Set(make_options(config), re2::RE2::UNANCHORED);
    if (self->impl == nullptr) {
        Py_DECREF(sequence);
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(sequence);
    for (Py_ssize_t i = 0; i < count; ++i) {
        PyObject* item = PySequence_Fast_GET_ITEM(sequence, i);
        if (!PyBytes_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "patterns must be a sequence of bytes");
            Py_DECREF(sequence);
            Py_DECREF(self);
            return nullptr;
        }
        std::string error;
        re2::StringPiece source(PyBytes_AS_STRING(item),
                                static_cast<size_t>(PyBytes_GET_SIZE(item)));
        if (self->impl->Add(source, &error) < 0) {
            PyErr_SetString(PyExc_ValueError, error.c_str());
            Py_DECREF(sequence);
            Py_DECREF(self);
            return nullptr;
        }
    }
    Py_DECREF(sequence);
    if (!self->impl->Compile()) {
        PyErr_SetString(PyExc_MemoryError, "the RE2 set did not fit in max_mem");
        Py_DECREF(self);
        return nullptr;
    }
    return reinterpret_cast<PyObject*>(self);
}

PyMethodDef set_methods[] = {
    {"Match", reinterpret_cast<PyCFunction>(set_match), METH_O,
     "Match(text) -> indices of the patterns found, in increasing order"},
    {nullptr, nullptr, 0, nullptr},
};

PyTypeObject SetType = {PyVarObject_HEAD_INIT(nullptr, 0)};

PyModuleDef module_def = {PyModuleDef_HEAD_INIT};

template <typename Object>
int ready_type(PyTypeObject* type, const char* name, const char* doc, newfunc make,
               PyMethodDef* methods) {
    type->tp_name = name;
    type->tp_basicsize = sizeof(Object);
    type->tp_flags = Py_TPFLAGS_DEFAULT;
    type->tp_doc = doc;
    type->tp_new = make;
    type->tp_dealloc = dealloc<Object>;
    type->tp_methods = methods;
    return PyType_Ready(type);
}

}  // namespace

PyMODINIT_FUNC PyInit__cre2(void) {
    if (ready_type<RegexObject>(&RegexType, "model._cre2.RE2",
                                "RE2(pattern, *, max_mem, case_sensitive, never_capture)",
                                regex_new, regex_methods) < 0 ||
        ready_type<SetObject>(&SetType, "model._cre2.Set",
                              "Set(patterns, *, max_mem, case_sensitive, never_capture)",
                              set_new, set_methods) < 0) {
        return nullptr;
    }
    module_def.m_name = "model._cre2";
    module_def.m_doc = "RE2 searches called straight from Python (see model._fast_re2).";
    module_def.m_size = -1;
    PyObject* module = PyModule_Create(&module_def);
    if (module == nullptr) return nullptr;
    if (PyModule_AddType(module, &RegexType) < 0 || PyModule_AddType(module, &SetType) < 0) {
        Py_DECREF(module);
        return nullptr;
    }
    return module;
}
