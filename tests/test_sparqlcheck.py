"""Which variables a query's pattern binds in every solution (so that binding them in advance is safe)."""

from __future__ import annotations

import pytest

from oncograph.sparqlcheck import optional_variables, required_variables

P = "PREFIX : <http://example.org/> "


@pytest.mark.parametrize(("query", "required"), [
    ("SELECT * { ?a :p ?b }", {"a", "b"}),
    ("SELECT * { ?a :p ?b OPTIONAL { ?b :q ?c OPTIONAL { ?c :r ?d } } }", {"a", "b"}),
    ("SELECT * { ?a :p ?b OPTIONAL { ?b :q ?c } ?c :r ?e }", {"a", "b", "c", "e"}),  # required after all
    ("SELECT * { { ?a :p ?b } UNION { ?a :q ?c } }", set()),
    ("SELECT * { ?a :p ?b MINUS { ?a :q ?c } }", {"a", "b"}),
    ("SELECT * { ?a :p ?b FILTER NOT EXISTS { ?b :q ?c } }", {"a", "b"}),
    ("SELECT * { ?a :p ?b FILTER(EXISTS { ?b :q ?c }) }", {"a", "b"}),
    ("SELECT * { ?a :p ?b BIND(STR(?b) AS ?s) FILTER(?b != ?x) }", {"a", "b"}),
    ("SELECT * { VALUES ?k { :one :two } ?a :p ?k }", {"a", "k"}),
    ("SELECT * { GRAPH ?g { ?a :p [ :q ?c ] } }", {"g", "a", "c"}),
    ("SELECT * { ?a (:p|:q)? ?b }", {"a", "b"}),
    ('SELECT * { ?a :p "OPTIONAL { ?z }" # OPTIONAL { ?y }\n }', {"a"}),
    ("SELECT ?a (COUNT(?b) AS ?n) { ?a :p ?b } GROUP BY ?a HAVING (COUNT(?b) > 1) ORDER BY ?n", {"a", "b"}),
    ("SELECT * { ?a :p ?b { SELECT ?b (MAX(?v) AS ?top) { ?b :v ?v } GROUP BY ?b } }", {"a", "b"}),
])
def test_required_variables(query: str, required: set[str]) -> None:
    assert required_variables(P + query) == required


@pytest.mark.parametrize(("query", "optional"), [
    ("SELECT * { ?a :p ?b OPTIONAL { ?b :q ?c } FILTER(?c != ?min) }", {"c"}),  # ?min is only read
    ("SELECT * { { ?a :p ?b } UNION { ?a :q ?c } }", {"a", "b", "c"}),
    ("SELECT * { ?a :p ?b BIND(STR(?b) AS ?s) }", {"s"}),
    ("SELECT ?a (COUNT(?b) AS ?n) { ?a :p ?b } GROUP BY ?a", {"n"}),
    ("SELECT * { ?a :p ?b OPTIONAL { ?b :q ?c } ?c :r ?e }", set()),
])
def test_optional_variables(query: str, optional: set[str]) -> None:
    assert optional_variables(P + query) == optional
