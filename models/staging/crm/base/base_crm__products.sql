{{ base_incremental_config('products') }}

{{ guarded_base(
    'products',
    rules=[
        rule_not_negative('list_price'),
    ]
) }}
