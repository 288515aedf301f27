{#- Every staged account with its B2B profile criteria (segmentation_criteria.md): legal-form family, INSEE size
    category, organisation type, NAF section and division, public sector, SIREN checksum, location, financial
    health and group membership. -#}
{#- A table: two marts read it, and its parent self-joins need real statistics on PostgreSQL. -#}
{{ config(materialized='table') }}

with

companies as (

    select * from {{ ref('stg_crm__companies') }}

),

legal_forms as (

    select * from {{ ref('ref_legal_form_categories') }}

),

naf_divisions as (

    select * from {{ ref('ref_naf_divisions') }}

),

naf_sections as (

    select * from {{ ref('ref_naf_sections') }}

),

employee_bands as (

    select * from {{ ref('ref_sirene_employee_bands') }}

),

departements as (

    select * from {{ ref('ref_departements') }}

),

sized as (

    select
        companies.*,
        legal_forms.legal_form_group_label as legal_form_label,
        case
            when legal_forms.org_family is not null then legal_forms.org_family
            when substr(companies.legal_form_code, 1, 1) in ('4', '7') then 'public_body'
            when substr(companies.legal_form_code, 1, 1) = '9' then 'nonprofit'
            when substr(companies.legal_form_code, 1, 1) = '1' then 'sole_trader'
            else 'company'
        end as legal_form_family,
        -- INSEE (décret 2008-1354): headcount and revenue; by headcount alone without revenue; Sirene band
        -- without headcount.
        case
            when companies.employee_count is not null
                then
                    case
                        when companies.employee_count < 10
                            and coalesce(companies.annual_revenue_eur, 0) <= 2000000 then 'micro'
                        when companies.employee_count < 250
                            and coalesce(companies.annual_revenue_eur, 0) <= 50000000 then 'sme'
                        when companies.employee_count < 5000
                            and coalesce(companies.annual_revenue_eur, 0) <= 1500000000 then 'mid_cap'
                        else 'large'
                    end
            else coalesce(employee_bands.size_category, 'unknown')
        end as size_category,
        substr(companies.naf_code, 1, 2) as naf_division,
        naf_divisions.naf_division_label,
        naf_divisions.naf_section,
        naf_sections.naf_section_label,
        departements.region,
        departements.department_name
    from companies
    left join legal_forms
        on substr(companies.legal_form_code, 1, 2) = legal_forms.legal_form_group
    left join employee_bands
        on companies.employee_band = employee_bands.employee_band
    left join naf_divisions
        on substr(companies.naf_code, 1, 2) = naf_divisions.naf_division
    left join naf_sections
        on naf_divisions.naf_section = naf_sections.naf_section
    left join departements
        on companies.department_code = departements.department_code

),

typed as (

    select
        *,
        -- precedence: public body > non-profit > sole trader > holding > size
        case
            when legal_form_family = 'public_body' then 'public_body'
            when legal_form_family = 'nonprofit' then 'nonprofit'
            when legal_form_family = 'sole_trader' then 'sole_trader'
            when naf_code = '64.20Z' then 'holding'
            when size_category = 'sme' then 'sme'
            when size_category = 'mid_cap' then 'mid_cap'
            when size_category = 'large' then 'large_enterprise'
            -- micro, or unknown size (Sirene NN: no salaried staff)
            else 'micro_enterprise'
        end as org_type,
        coalesce(substr(legal_form_code, 1, 1) in ('4', '7'), false) as is_public_sector,
        {{ siren_is_valid('siren') }} as is_siren_valid,
        case
            when financial_score is null then 'unknown'
            when financial_score < 40 then 'fragile'
            when financial_score < 70 then 'average'
            else 'healthy'
        end as financial_health_band
    from sized

),

-- a company belongs to a group when a parent up to three levels above it is a large company
ancestry as (

    select
        typed.company_id,
        parent.size_category as parent_size,
        grandparent.size_category as grandparent_size,
        great_grandparent.size_category as great_grandparent_size
    from typed
    left join typed as parent on typed.parent_company_id = parent.company_id
    left join typed as grandparent on parent.parent_company_id = grandparent.company_id
    left join typed as great_grandparent on grandparent.parent_company_id = great_grandparent.company_id

),

final as (

    select
        typed.*,
        coalesce(
            'large' in (ancestry.parent_size, ancestry.grandparent_size, ancestry.great_grandparent_size), false
        ) as is_group_member
    from typed
    inner join ancestry on typed.company_id = ancestry.company_id

)

select * from final
