{{ guarded_base(
    'products',
    rules=[
        rule_not_negative('list_price'),
    ]
) }}
