{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__companies') }}
    where quarantine_rule is null

),

normalised as (

    select
        -- ids
        company_id,
        parent_company_id,
        siren,
        {{ clean_text("regexp_replace(siret, '\\s', '', 'g')") }} as siret,
        -- strings
        company_name,
        legal_form_code,
        {{ normalize_naf_code('naf_code') }} as naf_code,
        employee_band,
        street,
        {{ normalize_postal_code('postal_code') }} as postal_code,
        city,
        upper(coalesce(country_code, 'FR')) as country_code,
        coalesce(relationship_type, 'other') as relationship_type,
        opening_hours,
        coalesce(timezone, 'Europe/Paris') as timezone,
        lower(website) as website,
        -- numerics
        employee_count,
        annual_revenue_eur,
        financial_score,
        -- dates
        founded_date,
        created_at,
        updated_at
    from base

),

final as (

    select
        *,
        {{ postal_code_to_department('postal_code', 'country_code') }} as department_code
    from normalised

)

select * from final
