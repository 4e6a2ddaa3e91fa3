import pytest

from elevate_shared.globs import covers, overlap


@pytest.mark.parametrize(
    ("allow", "requested"),
    [
        ("ec2:*", "ec2:Describe*"),
        ("ec2:*", "ec2:DescribeInstances"),
        ("s3:Get*", "s3:Get?bject"),
        ("*", "*"),
        ("arn:aws:s3:::*", "arn:aws:s3:::logs/*"),
    ],
)
def test_an_allow_pattern_covers_every_narrower_request(allow: str, requested: str) -> None:
    assert covers(allow, requested)


@pytest.mark.parametrize(
    ("allow", "requested"),
    [
        ("ec2:Describe*", "ec2:*"),
        ("s3:GetObject", "s3:GetObject*"),
        ("arn:aws:s3:::logs/*", "arn:aws:s3:::*"),
        ("s3:Get*", "s3:PutObject"),
    ],
)
def test_a_wider_request_is_not_covered(allow: str, requested: str) -> None:
    assert not covers(allow, requested)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ec2:*Vpc*", "ec2:*"),
        ("ec2:*Vpc*", "ec2:Create*"),
        ("ec2:*Vpc*", "ec2:CreateVpc"),
        ("a?c", "a*"),
        ("*", ""),
    ],
)
def test_patterns_that_share_a_string_overlap(first: str, second: str) -> None:
    assert overlap(first, second)
    assert overlap(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [("ec2:*Vpc*", "ec2:DescribeInstances"), ("abc", "abd"), ("a*b", "a*c"), ("a?", "a")],
)
def test_patterns_without_a_common_string_do_not_overlap(first: str, second: str) -> None:
    assert not overlap(first, second)
    assert not overlap(second, first)
