{#- Each export holds, for every segment, exactly the catalogue's `reachable_count` members, and nobody who may not
    be emailed. Returns the segments and exports where that is not so. -#}
with

catalog as (

    select * from {{ ref('segment_catalog') }}

),

contacts as (

    select * from {{ ref('dim_contacts') }}

),

generic as (

    select * from {{ ref('export_segment_members') }}

),

exported as (

    select
        'segments' as export_name,
        segment_name,
        count(*) as exported_count
    from generic
    group by segment_name

    union all

    select
        'brevo' as export_name,
        segment_name,
        count(*) as exported_count
    from {{ ref('export_brevo') }}
    group by segment_name

    union all

    select
        'mailchimp' as export_name,
        segment_name,
        count(*) as exported_count
    from {{ ref('export_mailchimp') }}
    group by segment_name

),

exports as (

    select 'segments' as export_name
    union all
    select 'brevo' as export_name
    union all
    select 'mailchimp' as export_name

),

expected as (

    select
        exports.export_name,
        catalog.segment_name,
        catalog.reachable_count
    from catalog
    cross join exports

),

miscounted as (

    select
        expected.export_name,
        expected.segment_name,
        expected.reachable_count,
        coalesce(exported.exported_count, 0) as exported_count
    from expected
    left join exported
        on
            expected.export_name = exported.export_name
            and expected.segment_name = exported.segment_name
    where expected.reachable_count <> coalesce(exported.exported_count, 0)

),

not_emailable as (

    select
        'segments' as export_name,
        generic.segment_name,
        0 as reachable_count,
        count(*) as exported_count
    from generic
    inner join contacts
        on generic.contact_id = contacts.contact_id
    where not ({{ emailable_predicate('contacts') }})
    group by generic.segment_name

)

select * from miscounted
union all
select * from not_emailable
