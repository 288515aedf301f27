{{ base_incremental_config('order_lines') }}

{{ guarded_base(
    'order_lines',
    rules=[
        rule_not_negative('quantity'),
        rule_not_negative('unit_price'),
        rule_not_negative('discount_amount'),
    ],
    references=[
        {'column': 'order_id', 'to': ref('base_crm__orders')},
        {'column': 'product_id', 'to': ref('base_crm__products')},
    ]
) }}
