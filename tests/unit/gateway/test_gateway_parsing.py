import pytest

from elevate_gateway.domain.parsing import parse_form, parse_json_body, parse_query, session_token
from elevate_gateway.domain.requests import DynamicRequest, RoleObject, StaticRequest
from elevate_shared.errors import RequestRejected


def test_a_json_body_naming_a_role_is_static() -> None:
    parsed = parse_json_body(b'{"role": "reader", "providers": ["aws"], "reason": "why"}')

    assert isinstance(parsed, StaticRequest)
    assert parsed.role_name == "reader"


def test_a_role_object_keeps_its_fields() -> None:
    parsed = parse_json_body(b'{"role": {"name": "reader", "enabled": true}, "providers": ["aws"]}')

    assert isinstance(parsed, StaticRequest)
    assert isinstance(parsed.role, RoleObject)
    assert parsed.role.model_fields_set == {"name", "enabled"}


def test_form_data_with_permissions_is_dynamic_with_lists_split_on_commas() -> None:
    parsed = parse_form(
        [("providers", "aws"), ("permissions", "s3:GetObject, s3:List*"), ("reason", "r")]
    )

    assert isinstance(parsed, DynamicRequest)
    assert parsed.permissions == ("s3:GetObject", "s3:List*")
    assert parsed.resources == ("*",)


def test_a_form_session_field_becomes_the_session_object() -> None:
    parsed = parse_form([("role", "reader"), ("providers", "aws"), ("session", "token")])

    assert parsed.session is not None
    assert parsed.session.session == "token"


def test_query_identities_are_comma_separated() -> None:
    parsed = parse_query([("role", "r"), ("provider", "aws"), ("identities", "a@x.io,b@x.io")])

    assert parsed.as_static().identities == ("a@x.io", "b@x.io")


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"{", "body"),
        (b"[]", "body"),
        (b'{"providers": ["aws"]}', "role"),
        (b'{"role": "r", "permissions": ["s3:GetObject"], "providers": ["aws"]}', "role"),
        (b'{"role": {"$gt": ""}, "providers": ["aws"]}', "role"),
        (b'{"role": 7, "providers": ["aws"]}', "role"),
        (b'{"role": "r", "providers": "aws"}', "providers"),
        (b'{"role": "r", "providers": ["aws"], "enabled": true}', "enabled"),
        # Unknown fields are refused in request bodies, nested objects included, even
        # though the messages built from them ignore unknown fields.
        (b'{"role": {"name": "r", "colour": 1}, "providers": ["aws"]}', "role"),
        (b'{"role": "r", "providers": ["aws"], "session": {"session": "t", "x": 1}}', "session"),
        (b'{"permissions": ["s3:GetObject"], "providers": ["aws"], "colour": 1}', "colour"),
    ],
)
def test_malformed_bodies_name_the_field(content: bytes, field: str) -> None:
    with pytest.raises(RequestRejected) as caught:
        parse_json_body(content)

    assert caught.value.field == field


def test_a_repeated_form_field_is_refused() -> None:
    with pytest.raises(RequestRejected, match="more than once"):
        parse_form([("reason", "a"), ("reason", "b")])


@pytest.mark.parametrize(
    ("data", "token"),
    [
        ({"session": {"version": 1, "session": "abc"}}, "abc"),
        ({"session": "abc"}, "abc"),
        ({"session": {"$gt": ""}}, None),
        ({"session": {"session": {"$gt": ""}}}, None),
        (["session"], None),
        ({}, None),
    ],
)
def test_the_session_token_is_found_only_where_a_string_belongs(
    data: object, token: str | None
) -> None:
    assert session_token(data) == token
