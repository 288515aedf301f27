{#- Mailchimp contact import: the emailable members of each segment as `Email Address`, `First Name`, `Last Name`
    and `Tags` (the segment name, which Mailchimp applies as a tag), written as one comma-separated file per
    segment. -#}
with

members as (

    select * from {{ ref('export_segment_members') }}

),

final as (

    select
        segment_name,
        email,
        first_name,
        last_name,
        segment_name as tags
    from members

)

select * from final
